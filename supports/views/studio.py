"""Pages of the secretaries' studio: the studio and its members, sessions ("专家门诊"), and
the difficult problems with their transitions (read from ``supports.workflow``)."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.listpage import Action, Column, choice_column
from common.pages import form_action

from .. import forms, policies
from ..models import DifficultProblem, ProblemState, StudioMember, StudioSession
from ..selectors import studio as selectors
from ..services import studio as services
from ..workflow import ACTION_LABELS, FOLLOWERS, actions_from, transition_for
from .base import SupportsListPage, communities, form_page, pk_of, require, streets


def _the_studio(request: HttpRequest) -> Any:
    studio = selectors.studio_main(actor=request.user)
    if studio is None:
        raise Http404
    return studio


@login_required
def studio_page(request: HttpRequest) -> HttpResponse:
    require(policies.can_view_studio(request.user))
    studio = selectors.studio_main(actor=request.user)
    context: dict[str, Any] = {"studio": studio}
    if studio is not None:
        keeper = policies.can_keep_studio(request.user)
        context.update(
            figures=selectors.studio_figures(actor=request.user, studio=studio),
            members=list(studio.members.all()),
            sessions=list(selectors.session_list(actor=request.user)[:5]),
            solved=list(selectors.problem_list(actor=request.user, state="solved")[:5]),
            can_keep=keeper,
            can_raise=policies.can_raise_problem(request.user),
            member_form=forms.MemberForm() if keeper else None,
        )
    return render(request, "supports/studio.html", context)


@login_required
@require_POST
def member_add(request: HttpRequest) -> HttpResponse:
    require(policies.can_keep_studio(request.user))
    studio = _the_studio(request)
    form_action(
        request,
        forms.MemberForm(request.POST),
        save=lambda data: services.member_add(actor=request.user, studio=studio, **data),
        message=_("成员已加入工作室。"),
        invalid=_("请完整填写成员姓名、身份、单位和加入日期。"),
    )
    return redirect("supports:studio")


# --- Sessions ---------------------------------------------------------------------------------


def _session_url(session: Any) -> str:
    return reverse("supports:session_detail", args=[session.pk])


class SessionListPage(SupportsListPage):
    title = gettext_lazy("工作室活动")
    export_name = gettext_lazy("书记工作室活动台账")
    intro = gettext_lazy("“专家门诊”、学习交流和工作研讨：对症下药，群策群力化解基层疑难杂症。")
    tab = "sessions"
    table_id = "session-table"
    empty_text = gettext_lazy("没有符合条件的活动。")
    default_ordering = "-date"
    columns = (
        Column(gettext_lazy("日期"), attrgetter("held_on"), "-date"),
        choice_column(gettext_lazy("形式"), StudioSession, "kind"),
        choice_column(gettext_lazy("主题类别"), StudioSession, "topic"),
        Column(gettext_lazy("主题"), attrgetter("title"), link=_session_url),
        Column(gettext_lazy("地点"), attrgetter("place")),
        Column(gettext_lazy("参加成员"), attrgetter("n_attendees"), "-attendees", css="num"),
        Column(gettext_lazy("其他参加人数"), attrgetter("guests"), css="num"),
        Column(gettext_lazy("会诊问题"), attrgetter("n_problems"), css="num"),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_studio(user)

    def get_form(self) -> forms.SessionFilterForm:
        return forms.SessionFilterForm(self.request.GET or None)

    def get_rows(self) -> Any:
        return selectors.session_list(
            actor=self.request.user,
            kind=self.filters.get("kind", ""),
            topic=self.filters.get("topic", ""),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )

    def get_actions(self) -> list[Action]:
        if not policies.can_keep_studio(self.request.user):
            return []
        return [Action(_("登记活动"), reverse("supports:session_create"), "primary")]


session_list = SessionListPage.as_view()


@login_required
def session_create(request: HttpRequest) -> HttpResponse:
    require(policies.can_keep_studio(request.user))
    studio = _the_studio(request)
    members = StudioMember.objects.visible_to(request.user).filter(studio=studio, is_active=True)
    form = forms.SessionForm(request.POST or None, members=members)
    return form_page(
        request,
        form,
        save=lambda data: services.session_record(actor=request.user, studio=studio, **data),
        message=_("活动已登记。"),
        success_url=_session_url,
        title=_("登记工作室活动"),
        tab="sessions",
        back=reverse("supports:session_list"),
    )


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_view_studio(request.user))
    session = selectors.session_get(actor=request.user, pk=pk)
    return render(request, "supports/session_detail.html", {"session": session})


# --- Difficult problems -----------------------------------------------------------------------


def _problem_url(problem: Any) -> str:
    return reverse("supports:problem_detail", args=[problem.pk])


def _state_html(problem: Any) -> Any:
    css = {
        ProblemState.SOLVED: "state state--closed",
        ProblemState.WITHDRAWN: "state state--rejected",
    }.get(problem.state, "state")
    return format_html('<span class="{}">{}</span>', css, problem.get_state_display())


class ProblemListPage(SupportsListPage):
    title = gettext_lazy("疑难问题")
    export_name = gettext_lazy("疑难问题台账")
    intro = gettext_lazy("各社区提交书记工作室会诊的疑难杂症，出具意见、跟踪落实直至化解销号。")
    tab = "problems"
    table_id = "problem-table"
    empty_text = gettext_lazy("没有符合条件的疑难问题。")
    default_ordering = "-date"
    summary_template = "supports/includes/problem_figures.html"
    columns = (
        Column(gettext_lazy("提出日期"), attrgetter("raised_on"), "-date"),
        Column(gettext_lazy("问题"), attrgetter("title"), link=_problem_url),
        Column(gettext_lazy("提出社区"), attrgetter("community.name"), "community"),
        choice_column(gettext_lazy("类别"), DifficultProblem, "topic"),
        choice_column(gettext_lazy("状态"), DifficultProblem, "state", "state", html=_state_html),
        Column(gettext_lazy("化解日期"), attrgetter("solved_on"), "-solved"),
        Column(gettext_lazy("关联事件"), lambda p: p.case.number if p.case else ""),
    )
    export_columns = (
        *columns[:4],
        Column(gettext_lazy("问题描述"), attrgetter("description")),
        Column(gettext_lazy("会诊意见"), attrgetter("advice")),
        *columns[4:],
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_studio(user)

    def get_form(self) -> forms.ProblemFilterForm:
        return forms.ProblemFilterForm(
            self.request.GET or None,
            streets=streets(self.request),
            communities=communities(self.request),
        )

    def get_rows(self) -> Any:
        return selectors.problem_list(
            actor=self.request.user,
            state=self.filters.get("state", ""),
            topic=self.filters.get("topic", ""),
            community=pk_of(self.filters.get("community")),
            street=self.filters.get("street"),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["solved_count"] = selectors.solved_count(actor=self.request.user)
        return context

    def get_actions(self) -> list[Action]:
        if not policies.can_raise_problem(self.request.user):
            return []
        return [Action(_("提交疑难问题"), reverse("supports:problem_create"), "primary")]


problem_list = ProblemListPage.as_view()


@login_required
def problem_create(request: HttpRequest) -> HttpResponse:
    require(policies.can_raise_problem(request.user))
    studio = _the_studio(request)
    form = forms.ProblemForm(request.POST or None, communities=communities(request, FOLLOWERS))
    return form_page(
        request,
        form,
        save=lambda data: services.problem_raise(actor=request.user, studio=studio, **data),
        message=_("问题已提交书记工作室。"),
        success_url=_problem_url,
        title=_("提交疑难问题"),
        tab="problems",
        back=reverse("supports:problem_list"),
    )


def _sessions(request: HttpRequest, problem: Any) -> Any:
    return StudioSession.objects.visible_to(request.user).filter(studio=problem.studio_id)


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_view_studio(request.user))
    problem = selectors.problem_get(actor=request.user, pk=pk)
    actions = [
        {
            "transition": t,
            "form": forms.TransitionForm(
                initial={"action": t.action}, sessions=_sessions(request, problem)
            ),
        }
        for t in actions_from(problem.state)
        if policies.can_take(request.user, t, problem.area_path)
    ]
    may_link = policies.can_raise_problem(request.user, problem.area_path)
    return render(
        request,
        "supports/problem_detail.html",
        {
            "problem": problem,
            "events": [(ACTION_LABELS.get(e.action, e.action), e) for e in problem.events.all()],
            "actions": actions,
            "case_form": forms.CaseLinkForm(
                initial={"case": problem.case_id},
                cases=selectors.cases_for_problem(actor=request.user, problem=problem),
            )
            if may_link
            else None,
        },
    )


@login_required
@require_POST
def problem_transition(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_get(actor=request.user, pk=pk)
    form = forms.TransitionForm(request.POST, sessions=_sessions(request, problem))
    transition = transition_for(request.POST.get("action", ""))
    require(
        transition is not None and policies.can_take(request.user, transition, problem.area_path)
    )
    assert transition is not None
    form_action(
        request,
        form,
        save=lambda data: services.problem_transition(
            actor=request.user,
            problem=problem,
            action=data["action"],
            note=data["note"],
            advice=data["advice"],
            session=data["session"],
            on=data["on"],
        ),
        message=_("已%(action)s。") % {"action": transition.label},
        invalid=_("请检查填写的内容。"),
    )
    return redirect("supports:problem_detail", pk=problem.pk)


@login_required
@require_POST
def problem_link_case(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_get(actor=request.user, pk=pk)
    require(policies.can_raise_problem(request.user, problem.area_path))
    form = forms.CaseLinkForm(
        request.POST, cases=selectors.cases_for_problem(actor=request.user, problem=problem)
    )
    form_action(
        request,
        form,
        save=lambda data: services.problem_link_case(
            actor=request.user, problem=problem, case=data["case"]
        ),
        message=_("已更新关联事件。"),
        invalid=_("请选择本社区的事件。"),
    )
    return redirect("supports:problem_detail", pk=problem.pk)
