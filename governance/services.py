"""Writes to the governance backbone. Every service takes the actor, checks its policy, runs
in one transaction and writes its audit row there. Audit details never carry personal data."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.personal_data import blind_index
from accounts.services import audit_record

from . import policies
from .idcard import normalise_phone, parse_id_number
from .models import (
    CHILD_KINDS,
    PARENT_LEVEL,
    Area,
    AreaLevel,
    Household,
    MemberStatus,
    NeedKind,
    NeedsLedger,
    NeedStatus,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    PartyOrgSector,
    RelationToHead,
    Resident,
    VulnerableTag,
)
from .text import pinyin_initials


class TransitionRefused(Exception):
    """A state change that lost a race or is not allowed from the current state (API: 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


#: Every column holding a copy of an area's materialised path ("app_label.Model", field).
#: ``area_move`` rewrites them all in the move's transaction; other apps add theirs with
#: :func:`register_area_path_copy` from their AppConfig.ready().
AREA_PATH_COPIES: list[tuple[str, str]] = [
    ("governance.PartyOrg", "area_path"),
    ("governance.Household", "area_path"),
    ("governance.Resident", "area_path"),
    ("governance.PartyMember", "area_path"),
    ("governance.NeedsLedger", "area_path"),
]


def register_area_path_copy(model_label: str, field: str) -> None:
    if (model_label, field) not in AREA_PATH_COPIES:
        AREA_PATH_COPIES.append((model_label, field))


#: Foreign keys holding an ancestor of the row's area at a fixed level ("app_label.Model",
#: path field, foreign key, level): a case's street and community. ``area_move`` points them at
#: the ancestor the moved path now lies under.
AREA_ANCESTOR_COPIES: list[tuple[str, str, str, str]] = []


def register_area_ancestor_copy(model_label: str, path_field: str, fk: str, level: str) -> None:
    entry = (model_label, path_field, fk, level)
    if entry not in AREA_ANCESTOR_COPIES:
        AREA_ANCESTOR_COPIES.append(entry)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _system_or(actor: Any, allowed: bool) -> None:
    """``actor=None`` is the system itself (seed_demo, migrations); anyone else needs the policy."""
    if actor is not None:
        _require(allowed)


# --- Areas ----------------------------------------------------------------------------------


def check_area_level(level: str, parent: Area | None) -> None:
    expected_parent = PARENT_LEVEL[level]
    if expected_parent is None and parent is not None:
        raise ValidationError(_("区（县）级区域只能作为根节点。"))
    if expected_parent is not None and (parent is None or parent.level != expected_parent):
        raise ValidationError(
            _("“%(level)s”只能建在“%(parent)s”之下。")
            % {"level": AreaLevel(level).label, "parent": AreaLevel(expected_parent).label}
        )


def area_next_code(parent: Area) -> str:
    """A generated code for a node without an official one: the parent's code and a 3-digit
    number, the first free one after the parent's children (小区 of 370405001001 are
    370405001001001, …)."""
    taken = set(
        Area.objects.filter(code__startswith=parent.code, depth=parent.depth + 1).values_list(
            "code", flat=True
        )
    )
    number = len(taken) + 1
    while f"{parent.code}{number:03d}" in taken:
        number += 1
    if number > 999:
        raise ValidationError(_("“%(name)s”下的自动编码已用尽。") % {"name": parent.name})
    return f"{parent.code}{number:03d}"


@transaction.atomic
def area_create(*, actor: Any, parent: Area | None, name: str, level: str, code: str = "") -> Area:
    """Add an area under ``parent``. Levels are strict: a building only under a residential
    area, a residential area only under a community, and so on; codes are unique, generated
    from the parent's code when none is given."""
    _system_or(actor, policies.can_maintain_tree(actor))
    check_area_level(level, parent)
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写名称。"))
    if parent is not None:
        # Lock the parent: concurrent inserts under it would take the same path or code.
        parent = Area.objects.select_for_update().get(pk=parent.pk)
        if not parent.is_active:
            raise ValidationError(_("“%(name)s”已停用，不能在其下新增。") % {"name": parent.name})
    code = code.strip() or (area_next_code(parent) if parent is not None else "")
    if not code:
        raise ValidationError(_("请填写区划代码。"))
    if Area.objects.filter(code=code).exists():
        raise ValidationError(_("区划代码 %(code)s 已存在。") % {"code": code})
    fields = {"name": name, "level": level, "code": code, "name_initials": pinyin_initials(name)}
    if parent is None:
        area = Area.objects.add_root(create_kwargs=fields)
    else:
        area = Area.objects.add_child(parent, create_kwargs=fields)
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=area)
    return area


@transaction.atomic
def area_update(*, actor: Any, area: Area, name: str, code: str) -> Area:
    """Rename an area or correct its code (the pinyin initials follow the name)."""
    _require(policies.can_maintain_tree(actor))
    area = Area.objects.select_for_update().get(pk=area.pk)
    name, code = name.strip(), code.strip()
    if not name or not code:
        raise ValidationError(_("名称和区划代码都必须填写。"))
    if Area.objects.filter(code=code).exclude(pk=area.pk).exists():
        raise ValidationError(_("区划代码 %(code)s 已存在。") % {"code": code})
    changed = [f for f, v in (("name", name), ("code", code)) if getattr(area, f) != v]
    area.name, area.code, area.name_initials = name, code, pinyin_initials(name)
    area.save(update_fields=["name", "code", "name_initials"])
    audit_record(action=AuditAction.UPDATE, actor=actor, target=area, detail={"fields": changed})
    return area


def _rewrite_path_copies(old_prefix: str, new_prefix: str) -> dict[str, int]:
    """Replace ``old_prefix`` by ``new_prefix`` at the start of every denormalised path copy:
    one UPDATE per table, each an indexed range scan."""
    counts = {}
    for label, field in AREA_PATH_COPIES:
        model = apps.get_model(label)
        counts[label] = model._default_manager.filter(
            **{f"{field}__startswith": old_prefix}
        ).update(**{field: Concat(Value(new_prefix), Substr(F(field), len(old_prefix) + 1))})
    return counts


#: Depth of each level in the tree (the district is the root, depth 1).
LEVEL_DEPTH = {
    AreaLevel.DISTRICT: 1,
    AreaLevel.STREET: 2,
    AreaLevel.COMMUNITY: 3,
    AreaLevel.RESIDENTIAL_AREA: 4,
    AreaLevel.BUILDING: 5,
}


def _rewrite_ancestor_copies(moved: Area) -> dict[str, int]:
    """Point the registered ancestor foreign keys of every row under the moved subtree at the
    ancestor of the right level on its new path: one UPDATE per column. Only levels above the
    moved node can change (the moved node and its descendants keep their ids)."""
    counts = {}
    for label, path_field, fk, level in AREA_ANCESTOR_COPIES:
        depth = LEVEL_DEPTH[AreaLevel(level)]
        if depth >= moved.depth:
            continue
        model = apps.get_model(label)
        ancestor = Area.objects.filter(
            path=Substr(OuterRef(path_field), 1, Area.steplen * depth)
        ).values("pk")[:1]
        counts[f"{label}.{fk}"] = model._default_manager.filter(
            **{f"{path_field}__startswith": moved.path}
        ).update(**{fk: Subquery(ancestor)})
    return counts


@transaction.atomic
def area_move(*, actor: Any, area: Area, new_parent: Area) -> Area:
    """Move ``area`` and its whole subtree under ``new_parent`` (as its last child). The new
    parent must be of the level the area hangs under. Every path in the subtree and every
    denormalised copy of those paths (households, residents, members, needs, organisations,
    and those other apps registered) change in the same transaction; the moved rows are locked
    first, so a concurrent insert under them waits."""
    _system_or(actor, policies.can_maintain_tree(actor))
    area = Area.objects.select_for_update().get(pk=area.pk)
    new_parent = Area.objects.select_for_update().get(pk=new_parent.pk)
    check_area_level(area.level, new_parent)
    if new_parent.path.startswith(area.path):
        raise ValidationError(_("不能把区域移到它自己之下。"))
    if area.parent_path == new_parent.path:
        return area
    if not new_parent.is_active:
        raise ValidationError(_("“%(name)s”已停用。") % {"name": new_parent.name})
    list(Area.objects.select_for_update().filter(path__startswith=area.path).values_list("id"))
    old_path = area.path
    Area.objects.move(area, new_parent, "last-child")
    area.refresh_from_db()
    counts = _rewrite_path_copies(old_path, area.path)
    counts.update(_rewrite_ancestor_copies(area))
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=area,
        detail={"moved_to": new_parent.name, "rows": counts},
    )
    return area


@transaction.atomic
def area_set_active(*, actor: Any, area: Area, active: bool) -> int:
    """Deactivate an area and its subtree (history refers to them, so nothing is deleted), or
    reactivate one whose parent is active. Returns how many areas changed."""
    _require(policies.can_maintain_tree(actor))
    area = Area.objects.select_for_update().get(pk=area.pk)
    if active:
        if (
            area.depth > 1
            and not Area.objects.filter(path=area.parent_path, is_active=True).exists()
        ):
            raise ValidationError(_("上级区域已停用，请先启用上级区域。"))
        changed = Area.objects.filter(pk=area.pk, is_active=False).update(is_active=True)
    else:
        changed = Area.objects.filter(path__startswith=area.path, is_active=True).update(
            is_active=False
        )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=area,
        detail={"is_active": active, "areas": changed},
    )
    return changed


# --- Party organisations --------------------------------------------------------------------


def check_party_org_fields(
    *, parent: PartyOrg | None, kind: str, sector: str, area: Area, department: Any, company: Any
) -> None:
    if kind not in PartyOrgKind.values:
        raise ValidationError(_("组织类别无效。"))
    if sector not in PartyOrgSector.values:
        raise ValidationError(_("组织类型无效。"))
    if parent is not None:
        if kind not in CHILD_KINDS[parent.kind]:
            raise ValidationError(
                _("“%(parent)s”之下不能设立“%(kind)s”。")
                % {"parent": PartyOrgKind(parent.kind).label, "kind": PartyOrgKind(kind).label}
            )
        if not area.path.startswith(parent.area_path):
            raise ValidationError(_("党组织覆盖的区域须在上级党组织覆盖的区域之内。"))
    if sector == PartyOrgSector.DEPARTMENT and department is None:
        raise ValidationError(_("区直部门党组织须选择所属部门。"))
    if sector == PartyOrgSector.PROPERTY_COMPANY and company is None:
        raise ValidationError(_("物业企业党组织须选择所属物业企业。"))


@transaction.atomic
def party_org_create(
    *,
    actor: Any,
    parent: PartyOrg | None,
    name: str,
    kind: str,
    area: Area,
    sector: str = PartyOrgSector.TERRITORIAL,
    secretary: str = "",
    founded_on: date | None = None,
    department: Any = None,
    company: Any = None,
) -> PartyOrg:
    """Set up a party organisation anchored on ``area``. A child's kind must fit its parent's
    (a 党小组 only under a 党支部, …) and its area must lie within the parent's."""
    _system_or(actor, policies.can_maintain_tree(actor))
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写名称。"))
    if parent is not None:
        parent = PartyOrg.objects.select_for_update().get(pk=parent.pk)
    check_party_org_fields(
        parent=parent, kind=kind, sector=sector, area=area, department=department, company=company
    )
    fields = {
        "name": name,
        "name_initials": pinyin_initials(name),
        "kind": kind,
        "sector": sector,
        "area": area,
        "area_path": area.path,
        "secretary": secretary.strip(),
        "founded_on": founded_on,
        "department": department,
        "company": company,
    }
    if parent is None:
        org = PartyOrg.objects.add_root(create_kwargs=fields)
    else:
        org = PartyOrg.objects.add_child(parent, create_kwargs=fields)
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=org)
    return org


@transaction.atomic
def party_org_update(
    *,
    actor: Any,
    org: PartyOrg,
    name: str,
    secretary: str,
    founded_on: date | None,
    area: Area,
    is_active: bool,
) -> PartyOrg:
    """Edit an organisation. Re-anchoring it moves its members' area path with it."""
    _require(policies.can_maintain_tree(actor))
    org = PartyOrg.objects.select_for_update().get(pk=org.pk)
    parent = PartyOrg.objects.filter(path=org.path[: -PartyOrg.steplen]).first()
    check_party_org_fields(
        parent=parent,
        kind=org.kind,
        sector=org.sector,
        area=area,
        department=org.department,
        company=org.company,
    )
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写名称。"))
    if area.pk != org.area_id:
        org.members.update(area_path=area.path)
    org.name, org.name_initials = name, pinyin_initials(name)
    org.secretary, org.founded_on, org.is_active = secretary.strip(), founded_on, is_active
    org.area, org.area_path = area, area.path
    org.save()
    audit_record(action=AuditAction.UPDATE, actor=actor, target=org)
    return org


# --- Households and residents -----------------------------------------------------------------


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
    _system_or(actor, policies.can_keep_ledger(actor, building.path))
    _check_building(building)
    unit, room = unit.strip(), room.strip()
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
    *, actor: Any, household: Household, unit: str, room: str, note: str, is_active: bool
) -> Household:
    _require(policies.can_keep_ledger(actor, household.area_path))
    household = Household.objects.select_for_update().get(pk=household.pk)
    unit, room = unit.strip(), room.strip()
    if not room:
        raise ValidationError(_("请填写室号。"))
    clash = Household.objects.filter(building_id=household.building_id, unit=unit, room=room)
    if clash.exclude(pk=household.pk).exists():
        raise ValidationError(_("该楼栋已有这一住户（同一单元、室号）。"))
    household.unit, household.room, household.note = unit, room, note.strip()
    household.is_active = is_active
    household.save(update_fields=["unit", "room", "note", "is_active", "updated_at"])
    audit_record(action=AuditAction.UPDATE, actor=actor, target=household)
    return household


@dataclass
class PersonFields:
    """What a form or an import row says about a person, before validation."""

    name: str
    gender: str = ""
    birth_date: date | None = None
    id_number: str = ""
    phone: str = ""


def clean_person(person: PersonFields) -> dict[str, Any]:
    """Validate a person's fields; the ID number fills in (and must agree with) the gender and
    the birth date. Returns model field values, hashes included."""
    name = person.name.strip()
    if not name:
        raise ValidationError(_("请填写姓名。"))
    gender, birth_date = person.gender, person.birth_date
    id_number = "".join(person.id_number.split()).upper()
    if id_number:
        id_birth, id_gender = parse_id_number(id_number)
        if birth_date and birth_date != id_birth:
            raise ValidationError(_("出生日期与身份证号不一致。"))
        if gender and gender != id_gender:
            raise ValidationError(_("性别与身份证号不一致。"))
        birth_date, gender = id_birth, id_gender
    if gender not in ("M", "F"):
        raise ValidationError(_("请填写性别。"))
    phone = normalise_phone(person.phone) if person.phone.strip() else ""
    return {
        "name": name,
        "gender": gender,
        "birth_date": birth_date,
        "id_number": id_number,
        "id_number_hash": blind_index(id_number),
        "phone": phone,
        "phone_hash": blind_index(phone),
    }


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
    _system_or(actor, policies.can_keep_ledger(actor, household.area_path))
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
) -> Resident:
    """Edit a resident. The row is locked: two editors at once apply one after the other."""
    _require(policies.can_keep_ledger(actor, resident.area_path))
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
    resident.save()
    _set_head_name(resident.household)
    changed = [c for c in changed if not c.endswith("_hash")]
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=resident, detail={"fields": changed}
    )
    return resident


# --- Party members -----------------------------------------------------------------------------


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
    _system_or(actor, policies.can_keep_ledger(actor, org.area_path))
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
) -> PartyMember:
    _require(policies.can_keep_ledger(actor, party_member.area_path))
    _require(policies.can_keep_ledger(actor, org.area_path))
    row = PartyMember.objects.select_for_update().get(pk=party_member.pk)
    values = clean_person(person)
    _clean_member(org, member)
    for key, value in values.items():
        setattr(row, key, value)
    row.org, row.area_path = org, org.area_path
    row.status, row.joined_on, row.employer = member.status, member.joined_on, member.employer
    row.household, row.household_plaque = member.household, member.household_plaque
    row.model_post, row.is_active = member.model_post, is_active
    row.save()
    audit_record(action=AuditAction.UPDATE, actor=actor, target=row)
    return row


# --- Needs ledger --------------------------------------------------------------------------------


@transaction.atomic
def need_create(
    *, actor: Any, household: Household, kind: str, description: str, raised_on: date | None
) -> NeedsLedger:
    """Record what a household asked for (走百家门、知百家事、解百家忧)."""
    _system_or(actor, policies.can_handle_need(actor, household.area_path))
    if kind not in NeedKind.values:
        raise ValidationError(_("需求类别无效。"))
    description = description.strip()
    if not description:
        raise ValidationError(_("请填写需求描述。"))
    raised_on = raised_on or timezone.localdate()
    if raised_on > timezone.localdate():
        raise ValidationError(_("登记日期不能晚于今天。"))
    need = NeedsLedger.objects.create(
        household=household,
        area_path=household.area_path,
        kind=kind,
        description=description,
        raised_on=raised_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=need)
    return need


@transaction.atomic
def need_take(*, actor: Any, need: NeedsLedger, taken_by: str) -> NeedsLedger:
    """Take an open need on. A conditional update: of two people pressing at once, one takes
    it and the other is told it is already taken."""
    _require(policies.can_handle_need(actor, need.area_path))
    taken_by = taken_by.strip() or getattr(actor, "display_name", "")
    if not taken_by:
        raise ValidationError(_("请填写认领人或单位。"))
    today = timezone.localdate()
    updated = NeedsLedger.objects.filter(pk=need.pk, status=NeedStatus.OPEN).update(
        status=NeedStatus.TAKEN, taken_by=taken_by[:100], taken_on=today
    )
    if not updated:
        raise TransitionRefused(_("该需求已被认领或已办结，请刷新后查看。"))
    need.refresh_from_db()
    audit_record(action=AuditAction.UPDATE, actor=actor, target=need, detail={"status": "taken"})
    return need


@transaction.atomic
def need_complete(*, actor: Any, need: NeedsLedger, result: str) -> NeedsLedger:
    """Mark a taken need done, with what was done."""
    _require(policies.can_handle_need(actor, need.area_path))
    result = result.strip()
    if not result:
        raise ValidationError(_("请填写办理结果。"))
    updated = NeedsLedger.objects.filter(pk=need.pk, status=NeedStatus.TAKEN).update(
        status=NeedStatus.DONE, result=result[:500], done_on=timezone.localdate()
    )
    if not updated:
        raise TransitionRefused(_("只有办理中的需求才能办结，请刷新后查看。"))
    need.refresh_from_db()
    audit_record(action=AuditAction.UPDATE, actor=actor, target=need, detail={"status": "done"})
    return need


# --- Excel import ---------------------------------------------------------------------------------


@transaction.atomic
def ledger_import(*, actor: Any, kind: str, community: Area, upload: Any) -> Any:
    """Import a ledger file into ``community``: every row is checked first, and nothing is
    written unless the whole file is clean (then all of it, in this one transaction). Returns
    the plan, whose ``errors`` list each bad row's number and reason."""
    from .imports import ImportKind, plan_import

    _require(policies.can_keep_ledger(actor, community.path))
    if community.level != AreaLevel.COMMUNITY:
        raise ValidationError(_("请选择一个社区。"))
    # One import per community at a time: a second one waits, then sees the first one's rows.
    Area.objects.select_for_update().filter(pk=community.pk).first()
    plan = plan_import(kind=kind, community=community, upload=upload)
    if plan.errors:
        return plan
    if kind == ImportKind.RESIDENTS:
        Household.objects.bulk_create(list(plan.new_households.values()))
        residents = [
            Resident(household=household, area_path=household.area_path, **values)
            for household, values in plan.objects
        ]
        Resident.objects.bulk_create(residents, batch_size=1000)
        heads: dict[int, str] = {}
        for resident in residents:
            if resident.relation == RelationToHead.HEAD:
                heads.setdefault(resident.household_id, resident.name)
        for household_id, name in heads.items():
            Household.objects.filter(pk=household_id, head_name="").update(head_name=name)
    elif kind == ImportKind.MEMBERS:
        PartyMember.objects.bulk_create([PartyMember(**v) for v in plan.objects], batch_size=1000)
    else:
        NeedsLedger.objects.bulk_create(
            [NeedsLedger(created_by=actor, **v) for v in plan.objects], batch_size=1000
        )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target=community,
        detail={
            "import": kind,
            "rows": len(plan.objects),
            "new_households": len(plan.new_households),
        },
    )
    return plan
