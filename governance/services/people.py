"""Households, residents and party members. A person's fields are checked by
``governance.persons.clean_person`` (the ID number fills in the gender and the birth date);
audit details never carry personal data."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from common.concurrency import save_versioned
from governance import policies
from governance.models import (
    Area,
    AreaLevel,
    Household,
    MemberStatus,
    PartyMember,
    PartyOrg,
    RelationToHead,
    Resident,
    VulnerableTag,
)
from governance.persons import PersonFields, clean_person
from governance.text import room_number, unit_number

from .base import require, system_or


def _check_building(building: Area) -> None:
    if building.level != AreaLevel.BUILDING:
        raise ValidationError(_("住户须登记在楼栋之下。"))
    if not building.is_active:
        raise ValidationError(_("楼栋“%(name)s”已停用。") % {"name": building.name})


@transaction.atomic
def household_create(
    *, actor: Any, building: Area, unit: str, room: str, note: str = ""
) -> Household:
    """Open a household in a building; one household per (building, unit, room)."""
    system_or(actor, policies.can_keep_ledger(actor, building.path))
    _check_building(building)
    unit, room = unit_number(unit), room_number(room)
    if not room:
        raise ValidationError(_("请填写室号。"))
    if Household.objects.filter(building=building, unit=unit, room=room).exists():
        raise ValidationError(_("该楼栋已有这一住户（同一单元、室号）。"))
    household = Household(
        building=building, area_path=building.path, unit=unit, room=room, note=note.strip()
    )
    try:
        with transaction.atomic():
            household.save()
    except IntegrityError:
        raise ValidationError(_("该楼栋已有这一住户（同一单元、室号）。")) from None
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=household)
    return household


@transaction.atomic
def household_update(
    *,
    actor: Any,
    household: Household,
    unit: str,
    room: str,
    note: str,
    is_active: bool,
    seen_version: int | None = None,
) -> Household:
    """Edit a household's address and note. ``seen_version`` is the version the editor read:
    when someone saved in between, nothing is written and a ``StaleEdit`` says what differs."""
    require(policies.can_keep_ledger(actor, household.area_path))
    household = Household.objects.select_for_update().get(pk=household.pk)
    unit, room = unit_number(unit), room_number(room)
    if not room:
        raise ValidationError(_("请填写室号。"))
    clash = Household.objects.filter(building_id=household.building_id, unit=unit, room=room)
    if clash.exclude(pk=household.pk).exists():
        raise ValidationError(_("该楼栋已有这一住户（同一单元、室号）。"))
    household.unit, household.room, household.note = unit, room, note.strip()
    household.is_active = is_active
    save_versioned(household, seen=seen_version, fields=["unit", "room", "note", "is_active"])
    audit_record(action=AuditAction.UPDATE, actor=actor, target=household)
    return household


def clean_tags(tags: Iterable[str]) -> list[str]:
    tags = list(dict.fromkeys(tags))
    unknown = [tag for tag in tags if tag not in VulnerableTag.values]
    if unknown:
        raise ValidationError(_("未知的关爱标签：%(tags)s") % {"tags": "、".join(unknown)})
    return tags


def _set_head_name(household: Household) -> None:
    head = (
        Resident.objects.filter(household=household, relation=RelationToHead.HEAD, is_active=True)
        .order_by("id")
        .values_list("name", flat=True)
        .first()
    )
    Household.objects.filter(pk=household.pk).update(head_name=head or "")


@transaction.atomic
def resident_create(
    *,
    actor: Any,
    household: Household,
    person: PersonFields,
    relation: str,
    tags: Iterable[str] = (),
) -> Resident:
    """Register a resident in a household. One ID number belongs to one resident."""
    system_or(actor, policies.can_keep_ledger(actor, household.area_path))
    household = Household.objects.select_for_update().get(pk=household.pk)
    values = clean_person(person)
    if relation not in RelationToHead.values:
        raise ValidationError(_("与户主关系无效。"))
    if (
        values["id_number_hash"]
        and Resident.objects.filter(id_number_hash=values["id_number_hash"]).exists()
    ):
        raise ValidationError(_("该身份证号已登记过。"))
    resident = Resident.objects.create(
        household=household,
        area_path=household.area_path,
        relation=relation,
        tags=clean_tags(tags),
        **values,
    )
    if relation == RelationToHead.HEAD:
        _set_head_name(household)
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=resident)
    return resident


@transaction.atomic
def resident_update(
    *,
    actor: Any,
    resident: Resident,
    person: PersonFields,
    relation: str,
    tags: Iterable[str],
    is_active: bool,
    seen_version: int | None = None,
) -> Resident:
    """Edit a resident. ``seen_version`` is the version the editor read: when someone saved in
    between (another care tag, a new phone), nothing is written and a ``StaleEdit`` shows each
    field's saved value beside this editor's, never a silent overwrite."""
    require(policies.can_keep_ledger(actor, resident.area_path))
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    values = clean_person(person)
    if relation not in RelationToHead.values:
        raise ValidationError(_("与户主关系无效。"))
    if (
        values["id_number_hash"]
        and Resident.objects.filter(id_number_hash=values["id_number_hash"])
        .exclude(pk=resident.pk)
        .exists()
    ):
        raise ValidationError(_("该身份证号已登记过。"))
    changed = [key for key, value in values.items() if getattr(resident, key) != value]
    for key, value in values.items():
        setattr(resident, key, value)
    resident.relation, resident.tags, resident.is_active = relation, clean_tags(tags), is_active
    save_versioned(
        resident,
        seen=seen_version,
        fields=[*values, "relation", "tags", "is_active"],
    )
    _set_head_name(resident.household)
    changed = [c for c in changed if not c.endswith("_hash")]
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=resident, detail={"fields": changed}
    )
    return resident


@dataclass
class MemberFields:
    status: str = MemberStatus.FULL
    joined_on: date | None = None
    employer: str = ""
    household: Household | None = None
    household_plaque: bool = False
    model_post: bool = False


def _clean_member(org: PartyOrg, fields: MemberFields) -> None:
    if fields.status not in MemberStatus.values:
        raise ValidationError(_("党员类别无效。"))
    if fields.joined_on and fields.joined_on > timezone.localdate():
        raise ValidationError(_("入党日期不能晚于今天。"))
    if fields.household_plaque and fields.household is None:
        raise ValidationError(_("党员户挂牌须先关联所在住户。"))
    if not org.is_active:
        raise ValidationError(_("党组织“%(name)s”已停用。") % {"name": org.name})


@transaction.atomic
def member_create(
    *, actor: Any, org: PartyOrg, person: PersonFields, member: MemberFields
) -> PartyMember:
    """Register a party member in an organisation of the actor's community."""
    system_or(actor, policies.can_keep_ledger(actor, org.area_path))
    values = clean_person(person)
    _clean_member(org, member)
    if (
        values["id_number_hash"]
        and PartyMember.objects.filter(
            id_number_hash=values["id_number_hash"], is_active=True
        ).exists()
    ):
        raise ValidationError(_("该身份证号的党员已登记过。"))
    created = PartyMember.objects.create(
        org=org,
        area_path=org.area_path,
        status=member.status,
        joined_on=member.joined_on,
        employer=member.employer.strip(),
        household=member.household,
        household_plaque=member.household_plaque,
        model_post=member.model_post,
        **values,
    )
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=created)
    return created


@transaction.atomic
def member_update(
    *,
    actor: Any,
    party_member: PartyMember,
    org: PartyOrg,
    person: PersonFields,
    member: MemberFields,
    is_active: bool,
    seen_version: int | None = None,
) -> PartyMember:
    """Edit a party member; a stale ``seen_version`` is refused like a resident's edit."""
    require(policies.can_keep_ledger(actor, party_member.area_path))
    require(policies.can_keep_ledger(actor, org.area_path))
    row = PartyMember.objects.select_for_update().get(pk=party_member.pk)
    values = clean_person(person)
    _clean_member(org, member)
    for key, value in values.items():
        setattr(row, key, value)
    row.org, row.area_path = org, org.area_path
    row.status, row.joined_on, row.employer = member.status, member.joined_on, member.employer
    row.household, row.household_plaque = member.household, member.household_plaque
    row.model_post, row.is_active = member.model_post, is_active
    fields = ["org", "area_path", "status", "joined_on", "employer", "household"]
    fields += ["household_plaque", "model_post", "is_active"]
    save_versioned(row, seen=seen_version, fields=[*values, *fields])
    audit_record(action=AuditAction.UPDATE, actor=actor, target=row)
    return row
