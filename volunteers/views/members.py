"""党员个人报到: the member check-ins, a member's page with tasks and feedback, the phone page
of a member's tasks (their own link, or staff's view of it), the year-end feedback list and
the letter to each employer (page and PDF)."""

from __future__ import annotations

from operator import attrgetter
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import AuditAction
from accounts.services import audit_record
from common.errors import Conflict
from common.listpage import Action, Column, choice_column
from common.pages import form_view
from governance.models import PartyMember
from grids.models import Grid

from .. import forms, policies, selectors, services
from ..imports import ImportKind
from ..letters import letter_pdf, letter_text
from ..models import YearFeedback
from .base import VolunteersListPage, act_once, refusal, require


def _member_url(row: Any) -> str:
    return reverse("volunteers:member_detail", args=[row.pk])


class MemberListPage(VolunteersListPage):
    title = gettext_lazy("党员报到")
    export_name = gettext_lazy("在职党员报到台账")
    tab = "members"
    table_id = "member-table"
    default_ordering = "community"
    orderings = [f"{p}{k}" for k in selectors.ORDERINGS["members"] for p in ("", "-")]
    empty_text = gettext_lazy("没有符合条件的党员报到。")
    columns = (
        Column(gettext_lazy("姓名"), attrgetter("name"), "name", link=_member_url),
        Column(gettext_lazy("工作单位"), attrgetter("employer"), "employer"),
        Column(gettext_lazy("所在党支部"), attrgetter("branch")),
        Column(gettext_lazy("手机号"), attrgetter("phone_masked")),
        Column(gettext_lazy("报到社区"), attrgetter("community.name"), "community"),
        Column(gettext_lazy("认领网格"), lambda m: m.grid.name if m.grid_id else ""),
        Column(gettext_lazy("服务领域"), lambda m: "、".join(m.get_service_areas_display())),
        Column(gettext_lazy("报到日期"), attrgetter("registered_on"), "-registered_on"),
        Column(gettext_lazy("完成任务"), attrgetter("n_done"), "-done", css="num"),
        Column(gettext_lazy("状态"), lambda m: _("已转出") if m.ended_on else _("在册")),
    )

    def get_form(self) -> forms.MemberFilterForm:
        return forms.MemberFilterForm(
            self.request.GET or None, communities=self.communities(), departments=self.departments()
        )

    def get_rows(self) -> Any:
        rows = selectors.member_checkin_list(actor=self.request.user)
        return selectors.ordered(
            selectors.filter_members(rows, self.filters), "members", self.ordering
        )

    def get_actions(self) -> list[Action]:
        if not policies.can_manage_members(self.request.user):
            return []
        return [
            Action(_("党员报到登记"), reverse("volunteers:member_new"), "primary"),
            Action(_("Excel 导入"), reverse("volunteers:import", args=[ImportKind.MEMBERS])),
        ]


member_list = MemberListPage.as_view()


@login_required
def member_new(request: HttpRequest) -> HttpResponse:
    require(policies.can_manage_members(request.user))
    communities = selectors.communities_for(actor=request.user)
    form = forms.MemberCheckinForm(
        request.POST or None,
        communities=communities,
        departments=selectors.departments_for(actor=request.user),
        members=PartyMember.objects.visible_to(request.user)
        .filter(is_active=True)
        .exclude(employer="")
        .order_by("name"),
        grids=Grid.objects.visible_to(request.user).filter(is_active=True).order_by("code"),
    )
    return form_view(
        request,
        form,
        save=lambda data: services.member_checkin_create(actor=request.user, **data),
        message=lambda checkin: _("%(n)s已报到。") % {"n": checkin.name},
        success_url=lambda checkin: reverse("volunteers:member_detail", args=[checkin.pk]),
        template="volunteers/form.html",
        context={"title": _("在职党员报到登记"), "tab": "members"},
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_use(request.user))
    checkin = selectors.member_checkin_get(actor=request.user, pk=pk)
    may_manage = policies.can_manage_members(request.user, checkin.area_path)
    return render(
        request,
        "volunteers/member_detail.html",
        {
            "checkin": checkin,
            "tasks": selectors.member_tasks(checkin),
            "feedbacks": list(checkin.feedbacks.order_by("-year")),
            "may_manage": may_manage and checkin.ended_on is None,
            "task_form": forms.TaskForm(initial={"scheduled_on": timezone.localdate()}),
            "feedback_form": forms.FeedbackForm(initial={"year": timezone.localdate().year}),
            "phone_link": request.build_absolute_uri(
                reverse("volunteers:member_phone", args=[checkin.access_token])
            )
            if may_manage
            else "",
            "tab": "members",
        },
    )


@login_required
@require_POST
def member_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """派发任务 / 登记完成 / 未参加 / 年度反馈 / 转出, posted from the member's page."""
    checkin = selectors.member_checkin_get(actor=request.user, pk=pk)

    def act() -> None:
        if action == "task":
            form = forms.TaskForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请检查任务信息。"))
            services.task_assign(actor=request.user, checkin=checkin, **form.cleaned_data)
            messages.success(request, _("已派发任务。"))
        elif action in ("done", "miss"):
            task = checkin.tasks.filter(pk=request.POST.get("task") or 0).first()
            if task is None:
                raise Http404
            if action == "done":
                done = forms.TaskDoneForm(request.POST)
                if not done.is_valid():
                    raise ValidationError(_("请填写服务时长。"))
                services.task_complete(actor=request.user, task=task, **done.cleaned_data)
            else:
                services.task_miss(actor=request.user, task=task)
            messages.success(request, _("已登记。"))
        elif action == "feedback":
            feedback = forms.FeedbackForm(request.POST)
            if not feedback.is_valid():
                raise ValidationError(_("请选择社区评价。"))
            services.feedback_record(actor=request.user, checkin=checkin, **feedback.cleaned_data)
            messages.success(request, _("已登记年度反馈。"))
        elif action == "end":
            services.member_checkin_end(actor=request.user, checkin=checkin)
            messages.success(request, _("已办理转出。"))
        else:
            raise Http404

    act_once(request, act)
    return redirect("volunteers:member_detail", pk=checkin.pk)


@require_http_methods(["GET", "POST"])
def member_phone(request: HttpRequest, token: str) -> HttpResponse:
    """The member's own phone page: their tasks, marked done with the hours served. Their
    secret link opens it without an account; it shows nothing but their own tasks."""
    checkin = selectors.member_by_token(token)
    if request.method == "POST":
        task = checkin.tasks.filter(pk=request.POST.get("task") or 0).first()
        form = forms.TaskDoneForm(request.POST)
        if task is None:
            raise Http404
        try:
            if not form.is_valid():
                raise ValidationError(_("请填写服务时长。"))
            services.task_complete(actor=None, task=task, by_member=True, **form.cleaned_data)
        except (ValidationError, Conflict) as exc:
            refusal(request, exc)
        else:
            messages.success(request, _("已登记完成，谢谢您的服务！"))
        return redirect("volunteers:member_phone", token=token)
    return render(
        request,
        "volunteers/member_phone.html",
        {"checkin": checkin, "tasks": selectors.member_tasks(checkin), "own": True},
    )


@login_required
def member_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff's phone view of a member's tasks."""
    require(policies.can_use(request.user))
    checkin = selectors.member_checkin_get(actor=request.user, pk=pk)
    return render(
        request,
        "volunteers/member_phone.html",
        {"checkin": checkin, "tasks": selectors.member_tasks(checkin), "own": False},
    )


class FeedbackListPage(VolunteersListPage):
    """社区反馈: each member's year, for the employer's appraisal (Excel per employer, and a
    printable letter with its PDF)."""

    title = gettext_lazy("年度反馈")
    template_name = "volunteers/feedback_list.html"
    export_name = gettext_lazy("在职党员社区反馈")
    tab = "feedback"
    table_id = "feedback-table"
    default_ordering = "employer"
    orderings = [f"{p}{k}" for k in selectors.ORDERINGS["feedback"] for p in ("", "-")]
    empty_text = gettext_lazy("没有符合条件的年度反馈。")
    columns = (
        Column(gettext_lazy("姓名"), attrgetter("checkin.name"),
               link=lambda f: reverse("volunteers:member_detail", args=[f.checkin_id])),
        Column(gettext_lazy("工作单位"), attrgetter("employer"), "employer"),
        Column(gettext_lazy("报到社区"), attrgetter("checkin.community.name")),
        Column(gettext_lazy("年度"), attrgetter("year"), "-year", css="num"),
        Column(gettext_lazy("参加次数"), attrgetter("participations"), "-participations",
               css="num"),
        Column(gettext_lazy("服务时长（小时）"), attrgetter("hours"), "-hours", css="num"),
        choice_column(gettext_lazy("社区评价"), YearFeedback, "assessment"),
        Column(gettext_lazy("评语"), attrgetter("comment")),
    )  # fmt: skip

    def get_form(self) -> forms.FeedbackFilterForm:
        return forms.FeedbackFilterForm(self.request.GET or None)

    def get_rows(self) -> Any:
        rows = selectors.feedback_list(actor=self.request.user)
        return selectors.ordered(
            selectors.filter_feedback(rows, self.filters), "feedback", self.ordering
        )

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context = super().get_context_data(**context)
        year = self.filters.get("year") or timezone.localdate().year
        context["letter_year"] = year
        context["employers"] = selectors.feedback_employers(actor=self.request.user, year=year)
        return context


feedback_list = FeedbackListPage.as_view()


def _letter_rows(request: HttpRequest) -> tuple[str, int, list[Any]]:
    employer = request.GET.get("employer", "").strip()
    year_text = request.GET.get("year", "")
    if not employer or not year_text.isdigit():
        raise Http404
    year = int(year_text)
    rows = list(
        selectors.feedback_list(actor=request.user)
        .filter(employer=employer, year=year)
        .order_by("checkin__area_path", "checkin__name")
    )
    if not rows:
        raise Http404
    return employer, year, rows


@login_required
def feedback_letter(request: HttpRequest) -> HttpResponse:
    """The printable letter to one employer for one year (``?employer=…&year=…``);
    ``format=pdf`` gives the same letter as a PDF."""
    require(policies.can_use(request.user))
    employer, year, rows = _letter_rows(request)
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        request=request,
        target=f"社区反馈函 {employer} {year}",
        detail={"rows": len(rows), "format": request.GET.get("format", "html")},
    )
    if request.GET.get("format") == "pdf":
        response = HttpResponse(
            letter_pdf(employer=employer, year=year, rows=rows), content_type="application/pdf"
        )
        name = quote(f"社区反馈函-{employer}-{year}.pdf")
        response["Content-Disposition"] = (
            f"inline; filename=\"letter-{year}.pdf\"; filename*=UTF-8''{name}"
        )
        return response
    return render(
        request,
        "volunteers/letter.html",
        {"letter": letter_text(employer=employer, year=year, rows=rows), "employer": employer,
         "year": year},
    )  # fmt: skip
