"""微心愿 (one service per action of ``volunteers.wish_workflow``) and the micro-services'
offerings with their records of who was served."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.photos import check_photos
from common.errors import Conflict
from governance.models import Area, Department, Resident
from grids.models import Grid

from .. import policies
from ..models import (
    ClaimantKind,
    MemberCheckIn,
    MicroKind,
    MicroService,
    MicroServiceRecord,
    Volunteer,
    VolunteerTeam,
    Wish,
)
from ..wish_workflow import WISH_TRANSITIONS
from .base import audit, author, community_by_path, community_of, require, trusted
from .points import points_award_wish


@transaction.atomic
def wish_post(
    *, actor: Any, community: Area, title: str, beneficiary: str = "",
    resident: Resident | None = None, grid: Grid | None = None, description: str = "",
) -> Wish:  # fmt: skip
    """A resident's small wish, posted by the community's staff or a grid worker; it waits
    for review before it goes on the board."""
    community_of(community)
    require(trusted(actor) or policies.can_post_wish(actor, community.path))
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写心愿内容。")
    if resident is not None:
        if community_by_path(resident.area_path).pk != community.pk:
            errors["resident"] = _("该居民不在%(c)s。") % {"c": community.name}
        beneficiary = resident.name
    beneficiary = (beneficiary or "").strip()
    if not beneficiary:
        errors["beneficiary"] = _("请填写心愿人。")
    if grid is not None and grid.community_id != community.pk:
        errors["grid"] = _("网格须在%(c)s。") % {"c": community.name}
    if errors:
        raise ValidationError(errors)
    wish = Wish.objects.create(
        community=community, area_path=community.path, grid=grid, resident=resident,
        beneficiary=beneficiary[:50], title=title[:100], description=(description or "").strip(),
        posted_by=author(actor),
    )  # fmt: skip
    audit(actor, wish, "wish.post", created=True)
    return wish


def _start(actor: Any, wish: Wish, action: str, *, by_volunteer: bool = False) -> Wish:
    transition = WISH_TRANSITIONS[action]
    locked = Wish.objects.select_for_update().get(pk=wish.pk)
    if not by_volunteer:
        if transition.who == "keeper":
            require(trusted(actor) or policies.can_run_service(actor, locked.area_path))
        else:
            require(trusted(actor) or policies.can_post_wish(actor, locked.area_path))
    if locked.state != transition.source:
        if action == "claim" and locked.claimed_at is not None:
            raise Conflict(_("该心愿已被%(n)s认领。") % {"n": locked.claimant_name or _("他人")})
        raise Conflict(
            _("该心愿当前为“%(s)s”，不能%(a)s。")
            % {"s": locked.get_state_display(), "a": transition.label}
        )
    locked.state = transition.target
    return locked


@transaction.atomic
def wish_review(*, actor: Any, wish: Wish, approve: bool, note: str = "") -> Wish:
    """The community reviews a posted wish: on the board, or refused with a reason."""
    action = "publish" if approve else "reject"
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("请填写不通过的原因。")})
    locked = _start(actor, wish, action)
    locked.review_note = note[:200]
    fields = ["state", "review_note"]
    if approve:
        locked.published_at = timezone.now()
        fields.append("published_at")
    locked.save(update_fields=fields)
    audit(actor, locked, f"wish.{action}")
    return locked


@transaction.atomic
def wish_claim(
    *, actor: Any, wish: Wish, volunteer: Volunteer | None = None,
    member_checkin: MemberCheckIn | None = None, unit: Department | None = None,
    by_volunteer: bool = False,
) -> Wish:  # fmt: skip
    """One member, unit or volunteer claims a wish on the board. The row is locked: of two
    claims at once the first wins and the second is told who has it."""
    claimants = [c for c in (volunteer, member_checkin, unit) if c is not None]
    if len(claimants) != 1:
        raise ValidationError({"claimant": _("请选择一个认领方（志愿者、党员或单位）。")})
    locked = _start(actor, wish, "claim", by_volunteer=by_volunteer)
    if volunteer is not None:
        if volunteer.area_path != locked.area_path:
            raise ValidationError({"claimant": _("志愿者只能认领本社区的心愿。")})
        locked.claimant_kind, locked.claimant_name = ClaimantKind.VOLUNTEER, volunteer.name
        locked.claimant_volunteer = volunteer
    elif member_checkin is not None:
        locked.claimant_kind, locked.claimant_name = ClaimantKind.MEMBER, member_checkin.name
        locked.claimant_member = member_checkin
    elif unit is not None:
        locked.claimant_kind, locked.claimant_name = ClaimantKind.UNIT, unit.name
        locked.claimant_unit = unit
    locked.claimed_at = timezone.now()
    locked.save()
    audit(actor, locked, "wish.claim", claimant=locked.claimant_kind, by_volunteer=by_volunteer)
    return locked


@transaction.atomic
def wish_fulfil(
    *, actor: Any, wish: Wish, photo: UploadedFile | None, note: str = "",
    by_volunteer: bool = False,
) -> Wish:  # fmt: skip
    """Fulfilled, with a photo of it (the claimant on their phone, or staff for them)."""
    if photo is None:
        raise ValidationError({"photo": _("请上传心愿实现的照片。")})
    try:
        (checked,) = check_photos([photo])
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from None
    locked = _start(actor, wish, "fulfil", by_volunteer=by_volunteer)
    locked.photo.save(checked.image.name or "wish.jpg", checked.image, save=False)
    locked.fulfil_note = (note or "").strip()[:500]
    locked.fulfilled_at = timezone.now()
    locked.save()
    audit(actor, locked, "wish.fulfil", by_volunteer=by_volunteer)
    return locked


@transaction.atomic
def wish_confirm(*, actor: Any, wish: Wish) -> Wish:
    """The resident's community confirms the wish came true; a volunteer claimant earns the
    wish's points (once)."""
    locked = _start(actor, wish, "confirm")
    locked.confirmed_at = timezone.now()
    locked.save(update_fields=["state", "confirmed_at"])
    audit(actor, locked, "wish.confirm")
    points_award_wish(actor=actor, wish=locked)
    return locked


@transaction.atomic
def wish_thank(*, actor: Any, wish: Wish, note: str) -> Wish:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写感谢语。")})
    locked = _start(actor, wish, "thank")
    locked.thanks = note[:500]
    locked.thanked_at = timezone.now()
    locked.save(update_fields=["state", "thanks", "thanked_at"])
    audit(actor, locked, "wish.thank")
    return locked


@transaction.atomic
def micro_service_add(
    *, actor: Any, community: Area, kind: str, title: str, team: VolunteerTeam | None = None,
    provider: str = "", description: str = "",
) -> MicroService:  # fmt: skip
    """A standing offering of 微公益, 微就业, 微课堂 or 微养老."""
    community_of(community)
    require(trusted(actor) or policies.can_run_service(actor, community.path))
    errors: dict[str, str] = {}
    if kind not in MicroKind.values:
        errors["kind"] = _("类别无效。")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写服务名称。")
    if team is not None and team.area_path != community.path:
        errors["team"] = _("提供队伍须是本社区的队伍。")
    if errors:
        raise ValidationError(errors)
    service = MicroService.objects.create(
        community=community, area_path=community.path, kind=kind, title=title[:100], team=team,
        provider=(provider or (team.name if team else "")).strip()[:120],
        description=(description or "").strip(),
    )  # fmt: skip
    audit(actor, service, "micro_service.add", created=True)
    return service


@transaction.atomic
def micro_record_add(
    *, actor: Any, service: MicroService, served_on: date, resident: Resident | None = None,
    resident_name: str = "", volunteer: Volunteer | None = None, note: str = "",
) -> MicroServiceRecord:  # fmt: skip
    """Who an offering served, when, and by which volunteer."""
    require(trusted(actor) or policies.can_run_service(actor, service.area_path))
    errors: dict[str, str] = {}
    if resident is not None:
        if not resident.area_path.startswith(service.area_path):
            errors["resident"] = _("服务对象须是本社区居民。")
        resident_name = resident.name
    resident_name = (resident_name or "").strip()
    if not resident_name:
        errors["resident_name"] = _("请填写服务对象。")
    if served_on is None or served_on > timezone.localdate():
        errors["served_on"] = _("服务日期不能晚于今天。")
    if volunteer is not None and volunteer.area_path != service.area_path:
        errors["volunteer"] = _("志愿者须是本社区的志愿者。")
    if errors:
        raise ValidationError(errors)
    record = MicroServiceRecord.objects.create(
        service=service, area_path=service.area_path, resident=resident,
        resident_name=resident_name[:50], served_on=served_on, volunteer=volunteer,
        note=(note or "").strip()[:300], created_by=author(actor),
    )  # fmt: skip
    audit(actor, record, "micro_service.record", created=True)
    return record
