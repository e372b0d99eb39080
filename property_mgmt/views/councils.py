"""Council meetings and their resolutions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditAction
from accounts.services import audit_record
from cases.models import Case
from common.errors import Conflict
from common.files import private_file_response
from common.pages import form_view
from governance.models import Department, PartyOrg, PartyOrgSector, PropertyCompany
from governance.units import parse_unit, unit_token

from .. import policies, selectors, services
from ..forms import (
    AgendaForm,
    MeetingFilter,
    MeetingForm,
    ResolutionFilter,
    ResolutionForm,
    TransitionForm,
)
from ..workflow import TRANSITIONS
from ._base import Column, Ledger, need, refuse, show_errors

MEETINGS = Ledger(
    key="meetings",
    title=gettext_lazy("议事会议（1+3+N 联席会议、恳谈会、协调会）"),
    default_ordering="-held",
    empty=gettext_lazy("没有符合条件的会议。"),
    columns=(
        Column(
            gettext_lazy("召开时间"),
            lambda m: m.held_at,
            "held",
            link=lambda m: reverse("property_mgmt:meeting_detail", args=[m.pk]),
        ),
        Column(gettext_lazy("会议类型"), lambda m: m.get_kind_display()),
        Column(gettext_lazy("会议主题"), lambda m: m.title),
        Column(gettext_lazy("社区"), lambda m: m.community.name),
        Column(gettext_lazy("召集党组织"), lambda m: m.convened_by.name),
        Column(gettext_lazy("参会人数"), lambda m: m.n_attendees),
        Column(gettext_lazy("决议"), lambda m: m.n_resolutions),
        Column(gettext_lazy("未落实"), lambda m: m.n_open),
    ),
)


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    need(policies.can_use(request.user))
    form = MeetingFilter(
        request.GET or None, areas=selectors.filter_areas(request.user), actor=request.user
    )
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.meeting_list(
        actor=request.user,
        within=selectors.area_in_scope(request.user, data.get("within")),
        kind=data.get("kind", ""),
        year=data.get("year"),
        q=(data.get("q") or "").strip(),
        ordering=MEETINGS.ordering(request),
    )
    actions = (
        [(_("登记会议"), reverse("property_mgmt:meeting_new"))]
        if policies.can_keep_any(request.user)
        else []
    )
    return MEETINGS.respond(request, rows, form, tab="meetings", page_actions=actions)


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    need(policies.can_keep_any(request.user))
    form = MeetingForm(
        request.POST or None,
        request.FILES or None,
        communities=selectors.communities_in_scope(request.user),
        actor=request.user,
    )

    def save(data: dict[str, Any]) -> Any:
        community = data["community"]
        org = (
            PartyOrg.objects.filter(area=community, sector=PartyOrgSector.TERRITORIAL)
            .order_by("depth")
            .first()
        )
        if org is None:
            raise ValidationError({"community": _("该社区尚无社区党组织，无法召集会议。")})
        return services.meeting_create(
            actor=request.user,
            community=community,
            kind=data["kind"],
            title=data["title"],
            held_at=data["held_at"],
            convened_by=org,
            place=data["place"],
            minutes=data["minutes"],
            attendees=[
                services.AttendeeFields(side, name, org_name)
                for side, name, org_name in data["attendees"]
            ],
            photos=request.FILES.getlist("photos"),
        )

    return form_view(
        request,
        form,
        save=save,
        message=_("会议已登记，请继续添加议题和决议。"),
        success_url=lambda meeting: reverse("property_mgmt:meeting_detail", args=[meeting.pk]),
        template="property_mgmt/form.html",
        context={
            "title": _("登记议事会议"),
            "tab": "meetings",
            "multipart": True,
            "back": reverse("property_mgmt:meeting_list"),
        },
    )


def _units(meeting: Any) -> list[tuple[str, str]]:
    choices = [(unit_token("area", meeting.community_id), meeting.community.name)]
    companies = {a.company for a in meeting.attendees.all() if a.company is not None}
    departments = {a.department for a in meeting.attendees.all() if a.department is not None}
    companies |= set(
        PropertyCompany.objects.filter(service_contracts__area__in=meeting.estates.all()).distinct()
    )
    choices += [
        (unit_token("company", c.pk), c.name) for c in sorted(companies, key=lambda c: c.name)
    ]
    departments |= set(Department.objects.filter(is_active=True))
    choices += [
        (unit_token("department", d.pk), d.name) for d in sorted(departments, key=lambda d: d.code)
    ]
    return choices


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need(policies.can_use(request.user))
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    may_keep = policies.can_keep(request.user, meeting.area_path)
    estates = selectors.estates_in_scope(request.user).filter(path__startswith=meeting.area_path)
    agenda_form = AgendaForm(prefix="agenda", estates=estates, actor=request.user)
    resolution_form = ResolutionForm(prefix="resolution", units=_units(meeting))
    if request.method == "POST":
        need(may_keep)
        try:
            if "agenda-title" in request.POST:
                agenda_form = AgendaForm(
                    request.POST, prefix="agenda", estates=estates, actor=request.user
                )
                if agenda_form.is_valid():
                    data = agenda_form.cleaned_data
                    case = None
                    if data["case_number"]:
                        case = (
                            Case.objects.visible_to(request.user)
                            .filter(number=data["case_number"].strip().upper())
                            .first()
                        )
                        if case is None:
                            raise ValidationError({"case_number": _("未找到该事件。")})
                    services.agenda_item_add(
                        actor=request.user,
                        meeting=meeting,
                        title=data["title"],
                        description=data["description"],
                        case=case,
                        open_case_in=data["open_case_in"],
                        category=data["category"],
                        outcome=data["outcome"],
                    )
                    messages.success(request, _("议题已添加。"))
                    return redirect("property_mgmt:meeting_detail", pk=pk)
            else:
                resolution_form = ResolutionForm(
                    request.POST, prefix="resolution", units=_units(meeting)
                )
                if resolution_form.is_valid():
                    data = resolution_form.cleaned_data
                    services.resolution_add(
                        actor=request.user,
                        meeting=meeting,
                        text=data["text"],
                        unit=parse_unit(data["unit"]),
                        due_on=data["due_on"],
                        due_days=data["due_days"],
                    )
                    messages.success(request, _("决议已登记。"))
                    return redirect("property_mgmt:meeting_detail", pk=pk)
        except ValidationError as exc:
            show_errors(agenda_form if "agenda-title" in request.POST else resolution_form, exc)
    resolutions = list(meeting.resolutions.all())
    for r in resolutions:
        selectors.resolution_flags(r)
    return render(
        request,
        "property_mgmt/meeting_detail.html",
        {
            "meeting": meeting,
            "resolutions": resolutions,
            "may_keep": may_keep,
            "agenda_form": agenda_form,
            "resolution_form": resolution_form,
            "tab": "meetings",
        },
    )


@login_required
def meeting_photo(request: HttpRequest, pk: int, which: str = "image") -> HttpResponse:
    """A meeting's photo (or its thumbnail) for whoever sees the meeting: 404 to anyone else,
    and never from a public URL (common.files). Opening a photo is audited; the thumbnails the
    meeting page shows are not."""
    need(policies.can_use(request.user))
    photo = selectors.meeting_photo_get(actor=request.user, pk=pk)
    if which == "thumb":
        return private_file_response(photo.thumbnail, content_type="image/jpeg")
    response = private_file_response(photo.image, content_type=photo.content_type)
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        request=request,
        target=photo.meeting,
        detail={"file": "meeting_photo", "photo": photo.pk},
    )
    return response


# --- Resolutions -------------------------------------------------------------------------------


def _flags(rows: list) -> None:
    for row in rows:
        selectors.resolution_flags(row)


def _alert_label(r: Any) -> str:
    return {"red": _("已超期"), "yellow": _("即将到期"), "late": _("逾期落实")}.get(r.alert, "")


RESOLUTIONS = Ledger(
    key="resolutions",
    title=gettext_lazy("会议决议"),
    default_ordering="due",
    empty=gettext_lazy("没有符合条件的决议。"),
    decorate=_flags,
    columns=(
        Column(
            gettext_lazy("决议事项"),
            lambda r: r.text,
            link=lambda r: reverse("property_mgmt:resolution_detail", args=[r.pk]),
        ),
        Column(gettext_lazy("会议"), lambda r: r.meeting.title),
        Column(gettext_lazy("责任单位"), lambda r: str(r.unit)),
        Column(gettext_lazy("完成时限"), lambda r: r.due_on, "due"),
        Column(gettext_lazy("状态"), lambda r: r.get_state_display(), "state"),
        Column(gettext_lazy("时限"), _alert_label),
        Column(gettext_lazy("落实时间"), lambda r: r.done_at),
    ),
)


@login_required
def resolution_list(request: HttpRequest) -> HttpResponse:
    need(policies.can_use(request.user))
    form = ResolutionFilter(
        request.GET or None,
        areas=selectors.filter_areas(request.user),
        actor=request.user,
        companies=selectors.company_list(actor=request.user),
    )
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.resolution_list(
        actor=request.user,
        within=selectors.area_in_scope(request.user, data.get("within")),
        state=data.get("state", ""),
        alert=data.get("alert", ""),
        company=data["company"].pk if data.get("company") else None,
        mine=bool(data.get("mine")),
        q=(data.get("q") or "").strip(),
        ordering=RESOLUTIONS.ordering(request),
    )
    rows = selectors.narrow_resolutions(
        rows,
        due_from=data.get("due_start"),
        due_to=data.get("due_end"),
        keeping=data.get("keeping", ""),
    )
    return RESOLUTIONS.respond(request, rows, form, tab="resolutions")


@login_required
def resolution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need(policies.can_use(request.user))
    resolution = selectors.resolution_get(actor=request.user, pk=pk)
    form = TransitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolution_transition(
                actor=request.user,
                resolution=resolution,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied:
            raise
        except (ValidationError, Conflict) as exc:
            refuse(request, exc)
        else:
            messages.success(request, _("已保存。"))
        return redirect("property_mgmt:resolution_detail", pk=pk)
    actions = [
        t
        for action, t in TRANSITIONS.items()
        if resolution.state in t.sources
        and policies.can_take_resolution(request.user, action, resolution)
    ]
    return render(
        request,
        "property_mgmt/resolution_detail.html",
        {
            "resolution": resolution,
            "actions": actions,
            "events": list(resolution.events.all()),
            "tab": "resolutions",
        },
    )
