"""Volunteer teams and volunteers: a team per grid and named brand teams, volunteers who are
residents, checked-in members or outsiders (one row per person, however many teams)."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.personal_data import blind_index
from governance.models import Area, Resident
from grids.models import Grid

from .. import policies
from ..models import (
    MemberCheckIn,
    TeamKind,
    TeamMembership,
    Volunteer,
    VolunteerSource,
    VolunteerTeam,
)
from ..people import person_key
from .base import audit, author, community_by_path, community_of, require, trusted
from .members import clean_phone


@transaction.atomic
def team_create(
    *,
    actor: Any,
    community: Area,
    name: str,
    kind: str,
    grid: Grid | None = None,
    focus: str = "",
    founded_on: date | None = None,
) -> VolunteerTeam:
    """A grid's team (one per grid, in the community) or a named brand team."""
    community_of(community)
    require(trusted(actor) or policies.can_run_service(actor, community.path))
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写队伍名称。")
    if kind not in TeamKind.values:
        errors["kind"] = _("队伍类型无效。")
    if kind == TeamKind.GRID and grid is None:
        errors["grid"] = _("网格志愿服务队须选择服务网格。")
    if grid is not None and grid.community_id != community.pk:
        errors["grid"] = _("网格须在%(c)s。") % {"c": community.name}
    if errors:
        raise ValidationError(errors)
    if VolunteerTeam.objects.filter(community=community, name=name).exists():
        raise ValidationError({"name": _("本社区已有名为“%(n)s”的队伍。") % {"n": name}})
    if kind == TeamKind.GRID and VolunteerTeam.objects.filter(kind=kind, grid=grid).exists():
        raise ValidationError({"grid": _("%(g)s已有网格志愿服务队。") % {"g": grid}})
    team = VolunteerTeam(
        community=community, area_path=community.path, name=name[:100], kind=kind, grid=grid,
        focus=(focus or "").strip()[:200], founded_on=founded_on,
    )  # fmt: skip
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise ValidationError({"name": _("该队伍已登记，请刷新后查看。")}) from None
    audit(actor, team, "volunteer_team.create", created=True)
    return team


def volunteer_key(
    *, resident: Resident | None, member_checkin: MemberCheckIn | None, phone: str
) -> str:
    if resident is not None:
        return f"resident:{resident.pk}"
    if member_checkin is not None:
        return member_checkin.person_key
    return person_key(phone=phone)


@transaction.atomic
def volunteer_register(
    *,
    actor: Any,
    community: Area,
    name: str = "",
    phone: str = "",
    resident: Resident | None = None,
    member_checkin: MemberCheckIn | None = None,
    skills: str = "",
    availability: str = "",
    team: VolunteerTeam | None = None,
    registered_on: date | None = None,
) -> Volunteer:
    """A volunteer of the community: a resident of the ledger, a checked-in member, or an
    outsider known by name and phone. The same person registered twice is refused; joining
    another team is :func:`team_join`."""
    community_of(community)
    require(trusted(actor) or policies.can_run_service(actor, community.path))
    phone = clean_phone(phone)
    if resident is not None:
        if community_by_path(resident.area_path).pk != community.pk:
            raise ValidationError({"resident": _("该居民不在%(c)s。") % {"c": community.name}})
        name, phone = resident.name, phone or resident.phone
        source = VolunteerSource.RESIDENT
    elif member_checkin is not None:
        name, phone = member_checkin.name, phone or member_checkin.phone
        source = VolunteerSource.MEMBER
    else:
        source = VolunteerSource.OUTSIDER
        name = (name or "").strip()
        if not name or not phone:
            raise ValidationError({"phone": _("社会志愿者须填写姓名和手机号。")})
    key = volunteer_key(resident=resident, member_checkin=member_checkin, phone=phone)
    existing = Volunteer.objects.filter(person_key=key).select_related("community").first()
    if existing is not None:
        raise ValidationError(
            {"phone": _("%(n)s已是%(c)s的志愿者。") % {"n": existing.name, "c": existing.community}}
        )
    volunteer = Volunteer(
        name=name[:50], source=source, resident=resident, member_checkin=member_checkin,
        phone=phone, phone_hash=blind_index(phone) if phone else "", person_key=key,
        community=community, area_path=community.path, skills=(skills or "").strip()[:200],
        availability=(availability or "").strip()[:100], access_token=secrets.token_urlsafe(24),
        registered_on=registered_on or timezone.localdate(), created_by=author(actor),
    )  # fmt: skip
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError:
        raise ValidationError({"phone": _("%(n)s已登记为志愿者。") % {"n": name}}) from None
    audit(actor, volunteer, "volunteer.register", created=True)
    if team is not None:
        team_join(actor=actor, team=team, volunteer=volunteer)
    return volunteer


@transaction.atomic
def team_join(
    *, actor: Any, team: VolunteerTeam, volunteer: Volunteer, leader: bool = False
) -> TeamMembership:
    """Put a volunteer in a team of their community (a brand team may take volunteers of
    other communities it serves, when the actor keeps both)."""
    require(
        trusted(actor)
        or (
            policies.can_run_service(actor, team.area_path)
            and policies.can_run_service(actor, volunteer.area_path)
        )
    )
    if TeamMembership.objects.filter(team=team, volunteer=volunteer).exists():
        raise ValidationError({"volunteer": _("%(n)s已在该队伍中。") % {"n": volunteer.name}})
    membership = TeamMembership(
        team=team, volunteer=volunteer, area_path=team.area_path, joined_on=timezone.localdate()
    )
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise ValidationError(
            {"volunteer": _("%(n)s已在该队伍中。") % {"n": volunteer.name}}
        ) from None
    if leader:
        VolunteerTeam.objects.filter(pk=team.pk).update(leader=volunteer)
    audit(actor, membership, "volunteer_team.join", created=True, team=team.pk)
    return membership
