"""A worker's career (appraisals, promotions along 3岗18级, grade history, trainings) and the
appraisal and promotion ledgers."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.listpage import Column, choice_column
from common.pages import form_action
from grids import selectors as grid_selectors
from grids.models import GRADES

from ... import forms, policies
from ...models import Appraisal
from ...querysets import ROSTER_ROLES
from ...selectors import careers as selectors
from ...services import careers as services
from ..base import (
    SupportsListPage,
    communities,
    pk_of,
    require,
)


def worker_career(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_view_careers(request.user))
    worker = grid_selectors.worker_get(actor=request.user, pk=pk)
    year = timezone.localdate().year
    keeper = policies.can_keep_careers(request.user, worker.area_path)
    next_grade = worker.grade + 1 if worker.grade < GRADES else None
    return render(
        request,
        "supports/worker_career.html",
        {
            "worker": worker,
            "year": year,
            "salary": grid_selectors.salary_of(post=worker.post, grade=worker.grade, year=year),
            "next_salary": grid_selectors.salary_of(post=worker.post, grade=next_grade, year=year)
            if next_grade
            else None,
            "next_grade": next_grade,
            **selectors.career_of(actor=request.user, worker=worker),
            "can_keep": keeper,
            "appraisal_form": forms.AppraisalForm() if keeper else None,
            "promotion_form": forms.PromotionForm(
                initial={"to_post": worker.post, "to_grade": next_grade}
            )
            if keeper
            else None,
        },
    )


def _worker_step(
    request: HttpRequest, pk: int, form_class: Any, service: Any, *, message: str, invalid: str
) -> HttpResponse:
    """An appraisal or a promotion posted from a worker's career page."""
    worker = grid_selectors.worker_get(actor=request.user, pk=pk)
    require(policies.can_keep_careers(request.user, worker.area_path))
    form_action(
        request,
        form_class(request.POST),
        save=lambda data: service(actor=request.user, worker=worker, **data),
        message=message,
        invalid=invalid,
    )
    return redirect("supports:worker_career", pk=worker.pk)


@login_required
@require_POST
def worker_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    return _worker_step(
        request,
        pk,
        forms.AppraisalForm,
        services.appraisal_record,
        message=_("年度考核已录入。"),
        invalid=_("请选择考核年度和考核结果。"),
    )


@login_required
@require_POST
def worker_promote(request: HttpRequest, pk: int) -> HttpResponse:
    return _worker_step(
        request,
        pk,
        forms.PromotionForm,
        services.worker_promote,
        message=_("晋升已记录，岗级已调整。"),
        invalid=_("请完整填写新岗位、新等级和生效日期。"),
    )


# --- Appraisal and promotion ledgers ----------------------------------------------------------


def _post_grade(post: Any, grade: int) -> str:
    return _("%(post)s %(grade)s 级") % {"post": post, "grade": grade}


def _career_url(row: Any) -> str:
    return reverse("supports:worker_career", args=[row.worker_id])


class AppraisalListPage(SupportsListPage):
    title = gettext_lazy("年度考核")
    export_name = gettext_lazy("社区工作者年度考核台账")
    tab = "appraisals"
    table_id = "appraisal-table"
    empty_text = gettext_lazy("没有符合条件的考核结果。")
    default_ordering = "-year"
    columns = (
        Column(gettext_lazy("考核年度"), attrgetter("year"), "-year"),
        Column(gettext_lazy("姓名"), attrgetter("worker.name"), "name", link=_career_url),
        Column(gettext_lazy("所属社区"), attrgetter("worker.community.name"), "community"),
        choice_column(gettext_lazy("岗位"), Appraisal, "post"),
        Column(gettext_lazy("等级"), attrgetter("grade"), css="num"),
        choice_column(gettext_lazy("考核结果"), Appraisal, "result", "result"),
        Column(gettext_lazy("考核得分"), attrgetter("score"), css="num"),
        Column(gettext_lazy("评语"), attrgetter("note")),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_careers(user)

    def get_form(self) -> forms.AppraisalFilterForm:
        return forms.AppraisalFilterForm(
            self.request.GET or None, communities=communities(self.request, ROSTER_ROLES)
        )

    def get_rows(self) -> Any:
        return selectors.appraisal_list(
            actor=self.request.user,
            year=self.filters.get("year"),
            result=self.filters.get("result", ""),
            community=pk_of(self.filters.get("community")),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )


appraisal_list = AppraisalListPage.as_view()


class PromotionListPage(SupportsListPage):
    title = gettext_lazy("晋升记录")
    export_name = gettext_lazy("社区工作者晋升台账")
    tab = "promotions"
    table_id = "promotion-table"
    empty_text = gettext_lazy("没有符合条件的晋升记录。")
    default_ordering = "-date"
    columns = (
        Column(gettext_lazy("生效日期"), attrgetter("effective_on"), "-date"),
        Column(gettext_lazy("姓名"), attrgetter("worker.name"), "name", link=_career_url),
        Column(gettext_lazy("所属社区"), attrgetter("worker.community.name"), "community"),
        Column(
            gettext_lazy("原岗级"), lambda p: _post_grade(p.get_from_post_display(), p.from_grade)
        ),
        Column(gettext_lazy("新岗级"), lambda p: _post_grade(p.get_to_post_display(), p.to_grade)),
        Column(
            gettext_lazy("依据"), lambda p: f"{p.appraisal.year} {p.appraisal.get_result_display()}"
        ),
        Column(gettext_lazy("说明"), attrgetter("reason")),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_careers(user)

    def get_form(self) -> forms.PromotionFilterForm:
        return forms.PromotionFilterForm(
            self.request.GET or None, communities=communities(self.request, ROSTER_ROLES)
        )

    def get_rows(self) -> Any:
        return selectors.promotion_list(
            actor=self.request.user,
            year=self.filters.get("year"),
            community=pk_of(self.filters.get("community")),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )


promotion_list = PromotionListPage.as_view()
