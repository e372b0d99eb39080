"""The pages of one household, resident or party member, and the actions taken on them:
registering a household, a resident or a need, taking a need on and completing it."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.personal_data import wants_unmask
from accounts.services import audit_unmask, audit_unmask_list
from common import once
from common.concurrency import version_form_field
from common.errors import Conflict, form_errors
from governance import policies, selectors, services
from governance.forms import (
    HouseholdForm,
    NeedCompleteForm,
    NeedForm,
    NeedTakeForm,
    ResidentForm,
)
from governance.models import AreaLevel, RelationToHead

from .base import address, require


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_read_ledgers(request.user))
    household = selectors.household_get(actor=request.user, pk=pk)
    selectors.attach_estate_names([household])
    unmask = wants_unmask(request)
    residents = list(selectors.resident_list(actor=request.user).filter(household=household))
    if unmask:
        audit_unmask_list(
            actor=request.user,
            what=str(household),
            ids=[r.pk for r in residents],
            fields=["id_number", "phone"],
            request=request,
        )
    may_keep = policies.can_keep_ledger(request.user, household.area_path)
    may_handle = policies.can_handle_need(request.user, household.area_path)
    return render(
        request,
        "governance/household_detail.html",
        {
            "household": household,
            "address": address(household),
            "residents": residents,
            "members": list(selectors.member_list(actor=request.user).filter(household=household)),
            "needs": list(selectors.need_list(actor=request.user).filter(household=household)),
            "unmask": unmask,
            "can_unmask": policies.may_unmask(request.user),
            "resident_form": ResidentForm(initial={"relation": RelationToHead.HEAD})
            if may_keep
            else None,
            "need_form": NeedForm() if may_handle else None,
            "take_form": NeedTakeForm() if may_handle else None,
            "complete_form": NeedCompleteForm() if may_handle else None,
        },
    )


@login_required
@require_POST
def household_create(request: HttpRequest) -> HttpResponse:
    buildings = selectors.area_list(actor=request.user, level=AreaLevel.BUILDING)
    form = HouseholdForm(request.POST, buildings=buildings)
    if not form.is_valid():
        messages.error(request, _("请检查住户信息：") + "；".join(_errors(form)))
        building = request.POST.get("building", "")
        if building.isdigit():
            return redirect("governance:area_detail", pk=int(building))
        return redirect("governance:area_tree")
    data = form.cleaned_data

    def run() -> HttpResponse | bool:
        try:
            household = services.household_create(
                actor=request.user,
                building=data["building"],
                unit=data["unit"],
                room=data["room"],
                note=data["note"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return False
        messages.success(request, _("已新增住户。"))
        return redirect("governance:household_detail", pk=household.pk)

    done = once.submit_once(request, run)
    return done or redirect("governance:area_detail", pk=data["building"].pk)


def _errors(form: Any) -> list[str]:
    """A form's errors as "字段 信息" lines, for a message."""
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        lines += [f"{label} {error}".strip() for error in errors]
    return lines


@login_required
@require_POST
def resident_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(actor=request.user, pk=pk)
    form = ResidentForm(request.POST)

    def run() -> bool:
        try:
            if not form.is_valid():
                raise ValidationError(_errors(form))
            services.resident_create(
                actor=request.user,
                household=household,
                person=form.person(),
                relation=form.cleaned_data["relation"],
                tags=form.cleaned_data["tags"],
            )
        except ValidationError as exc:
            messages.error(request, _("未能登记居民：") + "；".join(exc.messages))
            return False
        messages.success(request, _("已登记居民。"))
        return True

    once.submit_once(request, run, page=False)
    return redirect("governance:household_detail", pk=household.pk)


@login_required
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A resident, masked; ``unmask=1`` (with the permission) shows plain values, audited.
    Ledger keepers edit here."""
    require(policies.can_read_ledgers(request.user))
    resident = selectors.resident_get(actor=request.user, pk=pk)
    selectors.attach_estate_names([resident])
    may_keep = policies.can_keep_ledger(request.user, resident.area_path)
    form = None
    if may_keep:
        form = ResidentForm(
            request.POST or None,
            initial={
                "name": resident.name,
                "gender": resident.gender,
                "birth_date": resident.birth_date,
                "relation": resident.relation,
                "tags": resident.tags,
                "version": resident.version,
            },
        )
        form.fields["version"] = version_form_field()
        form.fields["id_number"].help_text = _("留空则保持原值：%(v)s") % {
            "v": resident.id_number_masked or "—"
        }
        form.fields["phone"].help_text = _("留空则保持原值：%(v)s") % {
            "v": resident.phone_masked or "—"
        }
    if request.method == "POST":
        require(may_keep)
        assert form is not None
        if form.is_valid():
            person = form.person()
            person.id_number = person.id_number or resident.id_number
            person.phone = person.phone or resident.phone
            try:
                services.resident_update(
                    actor=request.user,
                    resident=resident,
                    person=person,
                    relation=form.cleaned_data["relation"],
                    tags=form.cleaned_data["tags"],
                    is_active=resident.is_active,
                    seen_version=form.cleaned_data["version"],
                )
            except (ValidationError, Conflict) as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("governance:resident_detail", pk=resident.pk)
    unmask = wants_unmask(request)
    if unmask:
        audit_unmask(
            actor=request.user, target=resident, fields=["id_number", "phone"], request=request
        )
    return render(
        request,
        "governance/resident_detail.html",
        {
            "resident": resident,
            "address": address(resident),
            "unmask": unmask,
            "can_unmask": policies.may_unmask(request.user),
            "form": form,
        },
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_read_ledgers(request.user))
    member = selectors.member_get(actor=request.user, pk=pk)
    if member.household_id:
        selectors.attach_estate_names([member])
    unmask = wants_unmask(request)
    if unmask:
        audit_unmask(
            actor=request.user, target=member, fields=["id_number", "phone"], request=request
        )
    return render(
        request,
        "governance/member_detail.html",
        {
            "member": member,
            "address": address(member) if member.household_id else "",
            "unmask": unmask,
            "can_unmask": policies.may_unmask(request.user),
        },
    )


@login_required
@require_POST
def need_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(actor=request.user, pk=pk)
    form = NeedForm(request.POST)

    def run() -> bool:
        try:
            if not form.is_valid():
                raise ValidationError(_errors(form))
            services.need_create(
                actor=request.user,
                household=household,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                raised_on=form.cleaned_data["raised_on"],
            )
        except ValidationError as exc:
            messages.error(request, _("未能登记需求：") + "；".join(exc.messages))
            return False
        messages.success(request, _("已登记需求。"))
        return True

    once.submit_once(request, run, page=False)
    return redirect("governance:household_detail", pk=household.pk)


@login_required
@require_POST
def need_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """认领 (take) or 办结 (complete) a need; losing a race is a message, not an error page."""
    need = selectors.need_get(actor=request.user, pk=pk)
    try:
        if action == "take":
            take = NeedTakeForm(request.POST)
            take.is_valid()
            services.need_take(
                actor=request.user, need=need, taken_by=take.cleaned_data.get("taken_by", "")
            )
            messages.success(request, _("已认领。"))
        elif action == "complete":
            done = NeedCompleteForm(request.POST)
            if not done.is_valid():
                raise ValidationError(_("请填写办理结果。"))
            services.need_complete(
                actor=request.user, need=need, result=done.cleaned_data["result"]
            )
            messages.success(request, _("已办结。"))
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except Conflict as exc:
        messages.warning(request, str(exc.message))
    if request.POST.get("next") == "needs":
        return redirect("governance:ledger", key="needs")
    return redirect("governance:household_detail", pk=need.household_id)
