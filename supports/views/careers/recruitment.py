"""Recruitment (招考): the rounds, a round's posts and applicants (registered one by one or
imported), and an applicant's scores, result and hire."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.errors import Conflict, message_errors
from common.importpages import import_submit
from common.listpage import Action, Column, choice_column
from common.pages import form_action

from ... import forms, policies
from ...models import Applicant, ApplicantResult, RecruitmentPost, RecruitmentRound, RoundState
from ...selectors import careers as selectors
from ...services import careers as services
from ...services.careers.applicants import applicant_import_job
from ..base import (
    SupportsListPage,
    communities,
    form_page,
    import_page,
    pk_of,
    require,
    template_download,
)


def _round_url(round_: Any) -> str:
    return reverse("supports:round_detail", args=[round_.pk])


class RoundListPage(SupportsListPage):
    title = gettext_lazy("招考")
    export_name = gettext_lazy("社区工作者招考批次")
    tab = "rounds"
    table_id = "round-table"
    empty_text = gettext_lazy("暂无招考批次。")
    form_class = forms.SearchForm
    columns = (
        Column(gettext_lazy("名称"), attrgetter("title"), link=_round_url),
        Column(gettext_lazy("年度"), attrgetter("year")),
        Column(gettext_lazy("公告日期"), attrgetter("announced_on")),
        Column(gettext_lazy("报名截止"), attrgetter("signup_ends_on")),
        Column(gettext_lazy("考试日期"), attrgetter("exam_on")),
        choice_column(gettext_lazy("状态"), RecruitmentRound, "state"),
        Column(gettext_lazy("招录人数"), attrgetter("n_openings"), css="num"),
        Column(gettext_lazy("报名人数"), attrgetter("n_applicants"), css="num"),
        Column(gettext_lazy("已录用"), attrgetter("n_hired"), css="num"),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_careers(user)

    def get_rows(self) -> Any:
        return selectors.round_list(actor=self.request.user, search=self.filters.get("q", ""))

    def get_actions(self) -> list[Action]:
        if not policies.can_keep_careers(self.request.user):
            return []
        return [Action(_("新建招考批次"), reverse("supports:round_create"), "primary")]


round_list = RoundListPage.as_view()


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    require(policies.can_keep_careers(request.user))
    form = forms.RoundForm(request.POST or None, initial={"year": timezone.localdate().year})
    return form_page(
        request,
        form,
        save=lambda data: services.round_create(actor=request.user, **data),
        message=_("招考批次已建立，请添加招考岗位。"),
        success_url=_round_url,
        title=_("新建招考批次"),
        tab="rounds",
        back=reverse("supports:round_list"),
    )


def _score(value: Any) -> Any:
    return value if value is not None else ""


class RoundDetailPage(SupportsListPage):
    """A round: its posts (openings, applicants, hired) and its applicants with scores."""

    export_name = gettext_lazy("报考人员名单")
    tab = "rounds"
    table_id = "applicant-table"
    empty_text = gettext_lazy("暂无报考人员。")
    default_ordering = "-total"
    summary_template = "supports/includes/round_summary.html"
    columns = (
        Column(
            gettext_lazy("姓名"),
            attrgetter("name"),
            "name",
            link=lambda a: reverse("supports:applicant_detail", args=[a.pk]),
        ),
        choice_column(gettext_lazy("性别"), Applicant, "gender"),
        Column(gettext_lazy("身份证号"), attrgetter("id_number_masked")),
        Column(gettext_lazy("手机号"), attrgetter("phone_masked")),
        choice_column(gettext_lazy("学历"), Applicant, "education"),
        Column(gettext_lazy("报考社区"), attrgetter("position.community.name"), "community"),
        Column(gettext_lazy("报考岗位"), lambda a: a.position.get_post_display()),
        Column(gettext_lazy("笔试"), lambda a: _score(a.written_score), css="num"),
        Column(gettext_lazy("面试"), lambda a: _score(a.interview_score), css="num"),
        Column(gettext_lazy("总成绩"), lambda a: _score(a.total), "-total", css="num"),
        choice_column(gettext_lazy("结果"), Applicant, "result"),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_careers(user)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require(self.allowed(request.user))
        self.round = selectors.round_get(actor=request.user, pk=kwargs["pk"])
        self.title = self.round.title
        return super().get(request, *args, **kwargs)

    def get_form(self) -> forms.ApplicantFilterForm:
        positions = RecruitmentPost.objects.visible_to(self.request.user).filter(round=self.round)
        return forms.ApplicantFilterForm(self.request.GET or None, positions=positions)

    def get_rows(self) -> Any:
        return selectors.applicant_list(
            actor=self.request.user,
            round=self.round.pk,
            position=pk_of(self.filters.get("position")),
            result=self.filters.get("result", ""),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        keeper = policies.can_keep_careers(self.request.user)
        order = services.ROUND_ORDER
        index = order.index(self.round.state)
        context.update(
            round=self.round,
            positions=self.round.visible_positions,  # type: ignore[attr-defined]
            can_keep=keeper,
            next_state=RoundState(order[index + 1]) if keeper and index + 1 < len(order) else None,
            position_form=forms.PositionForm(
                communities=communities(self.request, policies.CAREER_KEEPERS)
            )
            if keeper and self.round.state == RoundState.OPEN
            else None,
        )
        return context

    def get_actions(self) -> list[Action]:
        if not policies.can_keep_careers(self.request.user) or self.round.state != RoundState.OPEN:
            return []
        return [
            Action(
                _("登记报名"), reverse("supports:applicant_create", args=[self.round.pk]), "primary"
            ),
            Action(_("Excel 导入"), reverse("supports:applicant_import", args=[self.round.pk])),
        ]


round_detail = RoundDetailPage.as_view()


@login_required
@require_POST
def round_advance(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_keep_careers(request.user))
    round_ = selectors.round_get(actor=request.user, pk=pk)
    form = forms.RoundAdvanceForm(request.POST)
    if form.is_valid():
        try:
            services.round_advance(
                actor=request.user, round=round_, state=form.cleaned_data["state"]
            )
        except Conflict as exc:
            message_errors(request, exc)
        else:
            messages.success(
                request,
                _("招考批次已进入“%(state)s”。")
                % {"state": RoundState(form.cleaned_data["state"]).label},
            )
    return redirect("supports:round_detail", pk=round_.pk)


@login_required
@require_POST
def position_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_keep_careers(request.user))
    round_ = selectors.round_get(actor=request.user, pk=pk)
    form = forms.PositionForm(
        request.POST, communities=communities(request, policies.CAREER_KEEPERS)
    )
    form_action(
        request,
        form,
        save=lambda data: services.position_add(actor=request.user, round=round_, **data),
        message=_("招考岗位已添加。"),
        invalid=_("请完整填写招录社区、岗位、起始等级和招录人数。"),
    )
    return redirect("supports:round_detail", pk=round_.pk)


def _positions(request: HttpRequest, round_: Any) -> Any:
    keepable = [
        p.pk
        for p in RecruitmentPost.objects.visible_to(request.user).filter(round=round_)
        if policies.can_keep_careers(request.user, p.area_path)
    ]
    return RecruitmentPost.objects.filter(pk__in=keepable).select_related("community")


@login_required
def applicant_create(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_keep_careers(request.user))
    round_ = selectors.round_get(actor=request.user, pk=pk)
    form = forms.ApplicantForm(request.POST or None, positions=_positions(request, round_))
    return form_page(
        request,
        form,
        save=lambda data: services.applicant_add(actor=request.user, **data),
        message=_("报名已登记。"),
        success_url=_round_url(round_),
        title=_("登记报名：%(round)s") % {"round": round_.title},
        tab="rounds",
        back=_round_url(round_),
    )


@login_required
def applicant_import(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_keep_careers(request.user))
    round_ = selectors.round_get(actor=request.user, pk=pk)
    spec = services.APPLICANT_TEMPLATE
    if request.GET.get("template"):
        return template_download(spec, "applicants")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        answer, plan = import_submit(
            request,
            form,
            runner=applicant_import_job,
            title=spec.title,
            upload=form.cleaned_data["file"],
            params={"round": round_.pk},
            target=reverse("supports:round_detail", args=[round_.pk]),
        )
        if answer is not None:
            return answer
    return import_page(
        request,
        spec=spec,
        form=form,
        plan=plan,
        tab="rounds",
        back=reverse("supports:round_detail", args=[round_.pk]),
    )


@login_required
def applicant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_view_careers(request.user))
    applicant = selectors.applicant_get(actor=request.user, pk=pk)
    keeper = policies.can_keep_careers(request.user, applicant.area_path)
    return render(
        request,
        "supports/applicant_detail.html",
        {
            "applicant": applicant,
            "total": services.total_score(applicant),
            "can_keep": keeper,
            "score_form": forms.ScoreForm(
                initial={
                    "written_score": applicant.written_score,
                    "interview_score": applicant.interview_score,
                }
            ),
            "decide_form": forms.DecideForm(),
            "hire_form": forms.HireForm(),
            "may_hire": keeper and applicant.result == ApplicantResult.PASSED,
        },
    )


@login_required
@require_POST
def applicant_action(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Scores (``score``), a result (``decide``) or the hire (``hire``) of an applicant."""
    applicant = selectors.applicant_get(actor=request.user, pk=pk)
    require(policies.can_keep_careers(request.user, applicant.area_path))
    steps: dict[str, tuple[Any, Callable[..., Any], str]] = {
        "score": (forms.ScoreForm, services.applicant_score, _("成绩已录入。")),
        "decide": (forms.DecideForm, services.applicant_decide, _("结果已更新。")),
        "hire": (
            forms.HireForm,
            services.applicant_hire,
            _("已办理录用，社区工作者已建档（试用期）。"),
        ),
    }
    if step not in steps:
        raise Http404
    form_class, service, done = steps[step]
    form_action(
        request,
        form_class(request.POST),
        save=lambda data: service(actor=request.user, applicant=applicant, **data),
        message=done,
        invalid=_("请检查填写的内容。"),
    )
    return redirect("supports:applicant_detail", pk=applicant.pk)
