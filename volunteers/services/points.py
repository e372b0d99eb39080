"""社区治理服务积分: awards by rule, the append-only ledger with its running balance, and
redemption at the points shop. Every change locks the volunteer's row, so two at once never
lose an update; the balance never goes below zero (checked here, and by the database); one
attendance or one wish is awarded once (a unique constraint, so also under a race)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.errors import Conflict
from governance.models import Area

from .. import policies
from ..models import (
    RULE_DEFAULTS,
    Attendance,
    PointsEntry,
    PointsReason,
    PointsRule,
    Redemption,
    ShopItem,
    Volunteer,
    Wish,
)
from .base import audit, author, community_of, require, trusted


def rule_points(reason: str) -> int:
    rule = PointsRule.objects.filter(reason=reason).first()
    return rule.points if rule is not None else RULE_DEFAULTS.get(reason, 0)


def _post(
    *, actor: Any, volunteer: Volunteer, delta: int, reason: str,
    attendance: Attendance | None = None, wish: Wish | None = None, note: str = "",
) -> PointsEntry:  # fmt: skip
    locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    balance = locked.points + delta
    if balance < 0:
        raise ValidationError(
            {"points": _("积分不足：%(n)s当前余额 %(b)s 分，需要 %(d)s 分。")
             % {"n": locked.name, "b": locked.points, "d": -delta}}
        )  # fmt: skip
    entry = PointsEntry(
        volunteer=locked, area_path=locked.area_path, reason=reason, delta=delta,
        balance=balance, attendance=attendance, wish=wish, note=(note or "")[:200],
        created_by=author(actor),
    )  # fmt: skip
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise Conflict(_("该事项已发放过积分，不能重复发放。")) from None
    locked.points = balance
    locked.save(update_fields=["points"])
    volunteer.points = balance
    audit(actor, entry, f"points.{reason}", created=True, delta=delta, balance=balance)
    return entry


@transaction.atomic
def points_award_attendance(*, actor: Any, attendance: Attendance) -> PointsEntry | None:
    """Points for an attendance's approved hours (rule 按时长), once."""
    require(trusted(actor) or policies.can_run_service(actor, attendance.area_path))
    if PointsEntry.objects.filter(attendance=attendance, reason=PointsReason.HOURS).exists():
        raise Conflict(_("该签到记录已发放过积分，不能重复发放。"))
    if attendance.state != "approved":
        raise Conflict(_("服务时长确认后才能发放积分。"))
    points = int(attendance.hours * rule_points(PointsReason.HOURS))
    if points <= 0:
        return None
    return _post(
        actor=actor, volunteer=attendance.volunteer, delta=points, reason=PointsReason.HOURS,
        attendance=attendance, note=f"{attendance.hours}h",
    )  # fmt: skip


@transaction.atomic
def points_award_wish(*, actor: Any, wish: Wish) -> PointsEntry | None:
    """Points for the volunteer who fulfilled a wish, once the community confirmed it."""
    require(trusted(actor) or policies.can_run_service(actor, wish.area_path))
    if wish.claimant_volunteer_id is None:
        return None
    if PointsEntry.objects.filter(wish=wish, reason=PointsReason.WISH).exists():
        raise Conflict(_("该心愿已发放过积分，不能重复发放。"))
    volunteer = Volunteer.objects.get(pk=wish.claimant_volunteer_id)
    return _post(
        actor=actor, volunteer=volunteer, delta=rule_points(PointsReason.WISH),
        reason=PointsReason.WISH, wish=wish, note=wish.title,
    )  # fmt: skip


@transaction.atomic
def points_award_role(*, actor: Any, volunteer: Volunteer, note: str) -> PointsEntry:
    """Points for a role in a co-building project (骨干), by the community."""
    require(trusted(actor) or policies.can_run_service(actor, volunteer.area_path))
    if not (note or "").strip():
        raise ValidationError({"note": _("请填写担任的项目角色。")})
    return _post(
        actor=actor, volunteer=volunteer, delta=rule_points(PointsReason.PROJECT_ROLE),
        reason=PointsReason.PROJECT_ROLE, note=note.strip(),
    )  # fmt: skip


@transaction.atomic
def shop_item_add(*, actor: Any, community: Area, name: str, points: int, stock: int) -> ShopItem:
    community_of(community)
    require(trusted(actor) or policies.can_run_service(actor, community.path))
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("请填写物品名称。")
    if points is None or points <= 0:
        errors["points"] = _("所需积分须大于 0。")
    if stock is None or stock < 0:
        errors["stock"] = _("库存不能为负数。")
    if errors:
        raise ValidationError(errors)
    if ShopItem.objects.filter(community=community, name=name).exists():
        raise ValidationError({"name": _("积分超市已有“%(n)s”。") % {"n": name}})
    item = ShopItem.objects.create(
        community=community, area_path=community.path, name=name[:100], points=points, stock=stock
    )
    audit(actor, item, "shop_item.add", created=True)
    return item


@transaction.atomic
def points_redeem(
    *, actor: Any, volunteer: Volunteer, item: ShopItem, quantity: int = 1
) -> Redemption:
    """Exchange points for an item of the community's shop: refused when the stock or the
    balance is short; stock, ledger and redemption are written together or not at all."""
    require(trusted(actor) or policies.can_run_service(actor, volunteer.area_path))
    locked = ShopItem.objects.select_for_update().get(pk=item.pk)
    if not quantity or quantity < 1:
        raise ValidationError({"quantity": _("数量须至少为 1。")})
    if not locked.is_active:
        raise Conflict(_("“%(n)s”已下架。") % {"n": locked.name})
    if locked.area_path != volunteer.area_path:
        raise ValidationError({"item": _("只能兑换本社区积分超市的物品。")})
    if locked.stock < quantity:
        raise Conflict(_("“%(n)s”库存不足（剩余 %(s)s）。") % {"n": locked.name, "s": locked.stock})
    cost = locked.points * quantity
    entry = _post(
        actor=actor, volunteer=volunteer, delta=-cost, reason=PointsReason.REDEEM,
        note=f"{locked.name} × {quantity}",
    )  # fmt: skip
    locked.stock -= quantity
    locked.save(update_fields=["stock"])
    redemption = Redemption.objects.create(
        item=locked, volunteer=volunteer, area_path=volunteer.area_path, quantity=quantity,
        points=cost, entry=entry, created_by=author(actor),
    )  # fmt: skip
    audit(actor, redemption, "points.redemption", created=True, item=locked.pk)
    return redemption
