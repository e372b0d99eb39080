"""Owners' committees (业主委员会) and their members."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.personal_data import blind_index
from governance.models import Area, Household, PartyMember, PartyOrg, PartyOrgSector

from .. import policies
from ..models import CommitteeMember, CommitteeRole, OwnersCommittee
from ._common import audit, check_estate, community_path, system_or

#: A term ending within this many days is flagged (换届提醒).
EXPIRING_DAYS = 90


def check_term(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is None:
        raise ValidationError({"term_starts_on": _("请填写任期开始日期。")})
    if ends_on is None:
        raise ValidationError({"term_ends_on": _("请填写任期结束日期。")})
    if ends_on <= starts_on:
        raise ValidationError({"term_ends_on": _("任期结束日期须晚于开始日期。")})


def _check_org(area: Area, org: PartyOrg | None) -> None:
    if org is None:
        return
    if org.sector != PartyOrgSector.OWNERS_COMMITTEE or not org.area_path.startswith(
        community_path(area.path)
    ):
        raise ValidationError({"party_org": _("请选择本社区的业委会党组织。")})


def _overlap(area: Area, starts_on: date, ends_on: date, exclude: int | None = None) -> Any:
    rows = OwnersCommittee.objects.filter(
        area=area, term_starts_on__lte=ends_on, term_ends_on__gte=starts_on
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.first()


def overlap_error(existing: OwnersCommittee) -> ValidationError:
    return ValidationError(
        {
            "term_starts_on": _("与%(name)s的任期（%(start)s 至 %(end)s）重叠。")
            % {
                "name": existing.name,
                "start": existing.term_starts_on,
                "end": existing.term_ends_on,
            }
        }
    )


@transaction.atomic
def committee_create(
    *,
    actor: Any,
    area: Area,
    name: str = "",
    term_starts_on: date | None = None,
    term_ends_on: date | None = None,
    filed_on: date | None = None,
    party_org: PartyOrg | None = None,
    note: str = "",
) -> OwnersCommittee:
    """Register an owners' committee for one term of a residential area. Terms of one area
    never overlap; a term ending before it starts is refused."""
    system_or(actor, policies.can_keep(actor, area.path))
    check_estate(area)
    check_term(term_starts_on, term_ends_on)
    assert term_starts_on is not None and term_ends_on is not None
    if filed_on is not None and filed_on > timezone.localdate():
        raise ValidationError({"filed_on": _("备案日期不能晚于今天。")})
    _check_org(area, party_org)
    Area.objects.select_for_update().filter(pk=area.pk).values_list("pk").first()
    existing = _overlap(area, term_starts_on, term_ends_on)
    if existing is not None:
        raise overlap_error(existing)
    committee = OwnersCommittee(
        area=area,
        area_path=area.path,
        name=(name or "").strip() or f"{area.name}业主委员会",
        party_org=party_org,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
        filed_on=filed_on,
        note=(note or "").strip(),
    )
    try:
        with transaction.atomic():
            committee.save()
    except IntegrityError as exc:
        raise ValidationError({"term_starts_on": _("该小区在这段任期内已有业主委员会。")}) from exc
    audit(actor, "committee.create", committee, created=True, area=area.pk)
    return committee


@transaction.atomic
def committee_update(*, actor: Any, committee: OwnersCommittee, **fields: Any) -> OwnersCommittee:
    """Filing date, party organisation, name, note and the term (checked as on creation)."""
    system_or(actor, policies.can_keep(actor, committee.area_path))
    allowed = {"name", "filed_on", "party_org", "note", "term_starts_on", "term_ends_on"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    locked = OwnersCommittee.objects.select_for_update().select_related("area").get(pk=committee.pk)
    for key, value in fields.items():
        setattr(locked, key, value.strip() if isinstance(value, str) else value)
    check_term(locked.term_starts_on, locked.term_ends_on)
    _check_org(locked.area, locked.party_org)
    if locked.filed_on is not None and locked.filed_on > timezone.localdate():
        raise ValidationError({"filed_on": _("备案日期不能晚于今天。")})
    existing = _overlap(locked.area, locked.term_starts_on, locked.term_ends_on, exclude=locked.pk)
    if existing is not None:
        raise overlap_error(existing)
    locked.save()
    audit(actor, "committee.update", locked, fields=sorted(fields))
    return locked


def clean_member(
    committee: OwnersCommittee,
    *,
    name: str,
    role: str,
    household: Household | None,
    party_member: PartyMember | None,
    phone: str,
) -> dict[str, Any]:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写成员姓名。")})
    if role not in CommitteeRole.values:
        raise ValidationError({"role": _("职务无效，可填：主任、副主任、委员。")})
    if household is not None and not household.area_path.startswith(committee.area_path):
        raise ValidationError({"household": _("成员须为本小区住户。")})
    if party_member is not None and not party_member.area_path.startswith(
        community_path(committee.area_path)
    ):
        raise ValidationError({"party_member": _("请选择本社区的党员。")})
    phone = "".join((phone or "").split())
    if phone and (not phone.isdigit() or len(phone) != 11 or not phone.startswith("1")):
        raise ValidationError({"phone": _("手机号须为 11 位数字。")})
    return {"name": name, "role": role, "phone": phone, "phone_hash": blind_index(phone)}


@transaction.atomic
def member_add(
    *,
    actor: Any,
    committee: OwnersCommittee,
    name: str,
    role: str = CommitteeRole.MEMBER,
    is_party_member: bool = False,
    party_member: PartyMember | None = None,
    household: Household | None = None,
    phone: str = "",
) -> CommitteeMember:
    """Add a member; one chair (主任) in office per committee."""
    system_or(actor, policies.can_keep(actor, committee.area_path))
    values = clean_member(
        committee,
        name=name,
        role=role,
        household=household,
        party_member=party_member,
        phone=phone,
    )
    OwnersCommittee.objects.select_for_update().filter(pk=committee.pk).values_list("pk").first()
    if (
        role == CommitteeRole.CHAIR
        and committee.members.filter(role=CommitteeRole.CHAIR, left_on__isnull=True).exists()
    ):
        raise ValidationError({"role": _("本届业委会已有在任主任。")})
    member = CommitteeMember.objects.create(
        committee=committee,
        area_path=committee.area_path,
        household=household,
        party_member=party_member,
        is_party_member=is_party_member or party_member is not None,
        **values,
    )
    audit(actor, "committee.member_add", committee, created=True, member=member.pk)
    return member


@transaction.atomic
def member_leave(*, actor: Any, member: CommitteeMember, on: date) -> CommitteeMember:
    system_or(actor, policies.can_keep(actor, member.area_path))
    locked = CommitteeMember.objects.select_for_update().get(pk=member.pk)
    if locked.left_on is not None:
        raise ValidationError({"on": _("该成员已离任。")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("离任日期不能晚于今天。")})
    locked.left_on = on
    locked.save(update_fields=["left_on"])
    audit(actor, "committee.member_leave", locked.committee, member=locked.pk)
    return locked
