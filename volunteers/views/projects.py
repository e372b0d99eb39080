"""三单制: the needs list, the project list and a project's page (transitions of the one
table, milestones on the working-day calendar, evidence served through the scoped view,
the community's rating)."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.errors import Conflict, form_errors
from common.listpage import Action, Column, choice_column
from common.pages import form_view
from governance.models import Area

from .. import forms, policies, selectors, services
from ..models import CheckInState, CoBuildProject, CommunityNeed, ProjectEvidence, Resource
from ..workflow import ACTION_LABELS, TRANSITIONS
from .base import VolunteersListPage, act_once, require


class NeedListPage(VolunteersListPage):
    """需求清单: the communities' needs, drawn from the residents' ledger or typed in."""

    title = gettext_lazy("需求清单")
    tab = "needs"
    table_id = "need-table"
    default_ordering = "-raised_on"
    orderings = [f"{p}{k}" for k in selectors.ORDERINGS["needs"] for p in ("", "-")]
    empty_text = gettext_lazy("没有符合条件的需求。")
    columns = (
        Column(gettext_lazy("需求名称"), attrgetter("title")),
        choice_column(gettext_lazy("需求类别"), CommunityNeed, "kind", "kind"),
        Column(gettext_lazy("社区"), attrgetter("community.name"), "community"),
        choice_column(gettext_lazy("来源"), CommunityNeed, "source"),
        Column(gettext_lazy("提出日期"), attrgetter("raised_on"), "-raised_on"),
        Column(gettext_lazy("对应项目数"), attrgetter("n_projects"), css="num"),
        choice_column(gettext_lazy("状态"), CommunityNeed, "state", "state"),
    )

    def get_form(self) -> forms.NeedFilterForm:
        return forms.NeedFilterForm(self.request.GET or None, communities=self.communities())

    def get_rows(self) -> Any:
        rows = selectors.need_list(actor=self.request.user)
        return selectors.ordered(selectors.filter_needs(rows, self.filters), "needs", self.ordering)

    def get_actions(self) -> list[Action]:
        if not policies.can_keep(self.request.user):
            return []
        return [
            Action(_("录入需求"), reverse("volunteers:need_new"), "primary"),
            Action(_("从需求台账纳入"), reverse("volunteers:need_draw")),
        ]


need_list = NeedListPage.as_view()


@login_required
def need_new(request: HttpRequest) -> HttpResponse:
    require(policies.can_keep(request.user))
    form = forms.NeedForm(
        request.POST or None, communities=selectors.communities_for(actor=request.user)
    )
    return form_view(
        request,
        form,
        save=lambda data: services.need_create(actor=request.user, **data),
        message=_("已录入需求清单。"),
        success_url="volunteers:need_list",
        template="volunteers/form.html",
        context={"title": _("录入需求"), "tab": "needs"},
    )


@login_required
def need_draw(request: HttpRequest) -> HttpResponse:
    """Pick open entries of a community's residents' needs ledger into its needs list."""
    require(policies.can_keep(request.user))
    communities = selectors.communities_for(actor=request.user).order_by("path")
    community_id = request.GET.get("community") or request.POST.get("community") or ""
    community = None
    if community_id.isdigit():
        community = get_object_or_404(communities, pk=int(community_id))
    entries = (
        selectors.ledger_entries_to_draw(actor=request.user, community=community)
        if community is not None
        else Area.objects.none()
    )
    form = forms.DrawForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            drawn = services.need_draw(actor=request.user, entries=form.cleaned_data["entries"])
        except (ValidationError, Conflict) as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已纳入需求清单 %(n)s 项。") % {"n": len(drawn)})
            return redirect("volunteers:need_list")
    return render(
        request,
        "volunteers/need_draw.html",
        {"form": form, "communities": communities, "community": community, "tab": "needs"},
    )


def _project_url(row: Any) -> str:
    return reverse("volunteers:project_detail", args=[row.pk])


def _overdue_badge(row: Any) -> Any:
    if not row.n_overdue:
        return format_html("{}", "—")
    return format_html('<span class="deadline--red">{}</span>', row.n_overdue)


class ProjectListPage(VolunteersListPage):
    """项目清单: the co-building projects, with those whose milestones are overdue marked."""

    title = gettext_lazy("项目清单")
    export_name = gettext_lazy("共驻共建项目清单")
    tab = "projects"
    table_id = "project-table"
    default_ordering = "-created"
    orderings = [f"{p}{k}" for k in selectors.ORDERINGS["projects"] for p in ("", "-")]
    empty_text = gettext_lazy("没有符合条件的项目。")
    columns = (
        Column(gettext_lazy("项目名称"), attrgetter("title"), "title", link=_project_url),
        Column(gettext_lazy("社区"), attrgetter("community.name"), "community"),
        Column(gettext_lazy("牵头单位"), attrgetter("lead_department.name")),
        Column(gettext_lazy("预算（元）"), attrgetter("budget"), "-budget", css="num"),
        Column(gettext_lazy("开始日期"), attrgetter("starts_on"), "starts_on"),
        Column(gettext_lazy("结束日期"), attrgetter("ends_on"), "ends_on"),
        choice_column(gettext_lazy("状态"), CoBuildProject, "state", "state"),
        Column(gettext_lazy("超期节点"), attrgetter("n_overdue"), "-overdue", html=_overdue_badge,
               css="num"),
        Column(gettext_lazy("社区评价"), lambda p: f"{p.rating}★" if p.rating else ""),
    )  # fmt: skip

    def row_css(self, row: Any) -> str:
        return "case-row--red" if row.n_overdue else ""

    def get_form(self) -> forms.ProjectFilterForm:
        return forms.ProjectFilterForm(
            self.request.GET or None, communities=self.communities(), departments=self.departments()
        )

    def get_rows(self) -> Any:
        rows = selectors.project_list(actor=self.request.user)
        return selectors.ordered(
            selectors.filter_projects(rows, self.filters), "projects", self.ordering
        )

    def get_actions(self) -> list[Action]:
        if not policies.can_keep(self.request.user):
            return []
        return [Action(_("设立项目"), reverse("volunteers:project_new"), "primary")]


project_list = ProjectListPage.as_view()


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    require(policies.can_keep(request.user))
    communities = selectors.communities_for(actor=request.user)
    needs = (
        selectors.need_list(actor=request.user)
        .exclude(state="done")
        .select_related("community")
        .order_by("area_path", "-raised_on")
    )
    resources = (
        Resource.objects.visible_to(request.user)
        .filter(checkin__state=CheckInState.CONFIRMED, is_available=True)
        .select_related("department", "checkin__community")
        .order_by("area_path", "department__code")
    )
    form = forms.ProjectForm(
        request.POST or None,
        communities=communities,
        departments=selectors.departments_for(actor=request.user),
        needs=needs,
        resources=resources,
    )
    return form_view(
        request,
        form,
        save=lambda data: services.project_create(actor=request.user, **data),
        message=lambda project: _("已设立项目“%(t)s”。") % {"t": project.title},
        success_url=lambda project: reverse("volunteers:project_detail", args=[project.pk]),
        template="volunteers/form.html",
        context={
            "title": _("设立共驻共建项目"),
            "intro": _("项目须对应本社区需求清单中的需求，使用在本社区确认报到单位的资源。"),
            "tab": "projects",
        },
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_use(request.user))
    project = selectors.project_get(actor=request.user, pk=pk)
    user = request.user
    actions = [
        t for a, t in TRANSITIONS.items()
        if project.state in t.sources and policies.can_take(user, a, project)
    ]  # fmt: skip
    if project.rating is not None:
        actions = [t for t in actions if t.action != "rate"]
    for event in project.events.all():
        event.label = ACTION_LABELS.get(event.action, event.action)
    return render(
        request,
        "volunteers/project_detail.html",
        {
            "project": project,
            "actions": actions,
            "can_report": policies.can_report_progress(user, project),
            "milestone_form": forms.MilestoneForm(),
            "evidence_form": forms.EvidenceForm(),
            "photos": [e for e in project.evidence.all() if e.kind == "photo"],
            "documents": [e for e in project.evidence.all() if e.kind == "document"],
            "tab": "projects",
        },
    )


@login_required
@require_POST
def project_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """A transition of the one table; losing a race is a message, not an error page."""
    project = selectors.project_get(actor=request.user, pk=pk)
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作无效。"))
        return redirect("volunteers:project_detail", pk=project.pk)
    data = form.cleaned_data

    def act() -> None:
        services.project_transition(
            actor=request.user,
            project=project,
            action=data["action"],
            note=data["note"],
            rating=data["rating"],
            expected_state=data["expected_state"] or None,
        )
        messages.success(request, _("已%(a)s。") % {"a": TRANSITIONS[data["action"]].label})

    act_once(request, act)
    return redirect("volunteers:project_detail", pk=project.pk)


@login_required
@require_POST
def project_progress(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """A milestone added, a milestone done, or evidence uploaded."""
    project = selectors.project_get(actor=request.user, pk=pk)

    def act() -> None:
        if what == "milestone":
            form = forms.MilestoneForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请检查节点信息。"))
            services.milestone_add(actor=request.user, project=project, **form.cleaned_data)
            messages.success(request, _("已添加节点。"))
        elif what == "done":
            milestone_id = request.POST.get("milestone", "")
            milestone = next(
                (m for m in project.milestones.all() if str(m.pk) == milestone_id), None
            )
            if milestone is None:
                raise Http404
            services.milestone_done(actor=request.user, milestone=milestone)
            messages.success(request, _("节点已完成。"))
        elif what == "evidence":
            upload = forms.EvidenceForm(request.POST, request.FILES)
            if not upload.is_valid():
                raise ValidationError(_("请选择要上传的文件。"))
            services.evidence_add(
                actor=request.user,
                project=project,
                upload=upload.cleaned_data["file"],
                caption=upload.cleaned_data["caption"],
            )
            messages.success(request, _("已上传。"))
        else:
            raise Http404

    act_once(request, act)
    return redirect("volunteers:project_detail", pk=project.pk)


@login_required
def evidence_file(request: HttpRequest, pk: int, which: str = "file") -> FileResponse:
    """A project's photo, thumbnail or document, only to those who see the project."""
    require(policies.can_use(request.user))
    evidence = get_object_or_404(ProjectEvidence.objects.visible_to(request.user), pk=pk)
    field = evidence.thumbnail if which == "thumb" and evidence.thumbnail else evidence.file
    content_type = "image/jpeg" if field is evidence.thumbnail else evidence.content_type
    response = FileResponse(
        field.open("rb"),
        content_type=content_type,
        as_attachment=evidence.kind == "document",
        filename=evidence.original_name,
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
