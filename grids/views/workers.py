"""Community worker pages: the roster (3岗18级, 五员), a worker's page, grade changes and
trainings."""

from operator import attrgetter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.listpage import Action, Column, choice_column
from common.pages import form_action, form_view
from governance.models import Area
from grids import forms, policies, selectors, services
from grids.models import CommunityWorker
from grids.policies import GRID_KEEPERS

from .base import GridsListPage, pk_of, require, yes_no


def _worker_url(worker: Any) -> str:
    return reverse("grids:worker_detail", args=[worker.pk])


def _grids_of(worker: Any) -> str:
    return "、".join(dict.fromkeys(staffing.grid.name for staffing in worker.current_staffings))


class WorkerListPage(GridsListPage):
    """The community workers in scope, with the grids each one is posted to now."""

    title = gettext_lazy("社区工作者")
    export_name = gettext_lazy("社区工作者台账")
    tab = "workers"
    table_id = "worker-table"
    empty_text = gettext_lazy("没有符合条件的社区工作者。")
    default_ordering = "community"
    columns = (
        Column(
            gettext_lazy("姓名"),
            attrgetter("name"),
            "name",
            link=_worker_url,
        ),
        Column(gettext_lazy("所属社区"), attrgetter("community.name"), "community"),
        choice_column(gettext_lazy("岗位"), CommunityWorker, "post", "post"),
        Column(gettext_lazy("等级"), attrgetter("grade"), "-grade", css="num"),
        choice_column(gettext_lazy("五员职责"), CommunityWorker, "duty"),
        choice_column(gettext_lazy("招录状态"), CommunityWorker, "status"),
        Column(gettext_lazy("定岗网格"), _grids_of),
    )
    export_columns = (
        Column(gettext_lazy("姓名"), attrgetter("name")),
        Column(gettext_lazy("所属社区"), attrgetter("community.name")),
        choice_column(gettext_lazy("岗位"), CommunityWorker, "post"),
        Column(gettext_lazy("等级"), attrgetter("grade")),
        choice_column(gettext_lazy("五员职责"), CommunityWorker, "duty"),
        choice_column(gettext_lazy("招录状态"), CommunityWorker, "status"),
        Column(gettext_lazy("中共党员"), lambda w: yes_no(w.is_party_member)),
        Column(gettext_lazy("入职日期"), attrgetter("hired_on")),
        Column(gettext_lazy("定岗网格"), _grids_of),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_roster(user)

    def get_form(self) -> forms.WorkerFilterForm:
        return forms.WorkerFilterForm(self.request.GET or None, communities=self.communities())

    def get_rows(self) -> QuerySet[CommunityWorker]:
        return selectors.worker_list(
            actor=self.request.user,
            community=pk_of(self.filters.get("community")),
            post=self.filters.get("post", ""),
            duty=self.filters.get("duty", ""),
            status=self.filters.get("status", ""),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )

    def get_actions(self) -> list[Action]:
        if not policies.can_manage_workers(self.request.user):
            return []
        return [Action(_("登记社区工作者"), reverse("grids:worker_create"), "primary")]


worker_list = WorkerListPage.as_view()


@login_required
def worker_create(request: HttpRequest) -> HttpResponse:
    require(policies.can_manage_workers(request.user))
    communities = selectors.communities_in_scope(actor=request.user, roles=GRID_KEEPERS)
    form = forms.WorkerForm(request.POST or None, communities=communities)
    return form_view(
        request,
        form,
        save=lambda data: services.worker_create(actor=request.user, **data),
        message=lambda worker: _("社区工作者“%(name)s”已登记。") % {"name": worker.name},
        success_url=_worker_url,
        template="grids/worker_form.html",
        context={"worker": None},
    )


@login_required
def worker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_object_or_404(CommunityWorker.objects.visible_to(request.user), pk=pk)
    require(policies.can_manage_workers(request.user, worker.area_path))
    initial = {f: getattr(worker, f) for f in services.WORKER_FIELDS if f != "user"}
    form = forms.WorkerForm(
        request.POST or None, initial=initial, communities=Area.objects.none(), editing=True
    )
    return form_view(
        request,
        form,
        save=lambda data: services.worker_update(actor=request.user, worker=worker, **data),
        message=_("已保存。"),
        success_url=_worker_url(worker),
        template="grids/worker_form.html",
        context={"worker": worker},
    )


@login_required
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.worker_get(actor=request.user, pk=pk)
    year = timezone.localdate().year
    context = {
        "worker": worker,
        "salary": selectors.salary_of(post=worker.post, grade=worker.grade, year=year),
        "year": year,
        "can_manage": policies.can_manage_workers(request.user, worker.area_path),
        "can_change_grade": policies.can_change_grade(request.user, worker.area_path),
        "grade_form": forms.GradeChangeForm(initial={"post": worker.post, "grade": worker.grade}),
        "training_form": forms.TrainingForm(),
        "training_hours": sum(t.hours for t in worker.trainings.all()),
    }
    return render(request, "grids/worker_detail.html", context)


@login_required
@require_POST
def worker_grade(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_object_or_404(CommunityWorker.objects.visible_to(request.user), pk=pk)
    require(policies.can_change_grade(request.user, worker.area_path))
    form_action(
        request,
        forms.GradeChangeForm(request.POST),
        save=lambda data: services.worker_grade_change(actor=request.user, worker=worker, **data),
        message=_("岗级变动已记录。"),
        invalid=_("请完整填写岗位、等级和生效日期。"),
    )
    return redirect("grids:worker_detail", pk=worker.pk)


@login_required
@require_POST
def worker_training(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_object_or_404(CommunityWorker.objects.visible_to(request.user), pk=pk)
    require(policies.can_manage_workers(request.user, worker.area_path))
    form_action(
        request,
        forms.TrainingForm(request.POST),
        save=lambda data: services.training_add(actor=request.user, worker=worker, **data),
        message=_("培训记录已添加。"),
        invalid=_("请完整填写课程、学时和培训日期。"),
    )
    return redirect("grids:worker_detail", pk=worker.pk)
