"""Deadlines and supervision: the limits of each step, the overdue sweep, 加急 and 督办."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from common.errors import Conflict

from ..calendar import deadlines
from ..models import (
    SUPERVISION_RANK,
    Case,
    CaseEvent,
    Category,
    CategoryLimit,
    Step,
    Supervision,
    SupervisionLevel,
)
from ..workflow import Action
from .frame import begin, finish, note_for, transition_service
from .notifications import tell

#: Limits used when a category and its parent carry none for a tier (working days).
DEFAULT_LIMITS: dict[str, tuple[Decimal, Decimal, Decimal]] = {
    "grid": (Decimal(1), Decimal(1), Decimal(1)),
    "community": (Decimal(1), Decimal(3), Decimal(2)),
    "street": (Decimal(1), Decimal(5), Decimal(2)),
    "district": (Decimal(2), Decimal(10), Decimal(3)),
}


def limit_days(category: Category, tier: str, step: str) -> Decimal:
    """The category's limit for ``step`` at ``tier``; the parent's, then the defaults."""
    limits = {
        limit.category_id: limit
        for limit in CategoryLimit.objects.filter(
            category_id__in=[c for c in (category.pk, category.parent_id) if c], tier=tier
        )
    }
    limit = limits.get(category.pk) or limits.get(category.parent_id or 0)
    if limit is not None:
        return Decimal(getattr(limit, f"{step}_days"))
    accept, handle, verify = DEFAULT_LIMITS[tier]
    return {"accept": accept, "handle": handle, "verify": verify}[step]


def start_step(case: Case, step: str, now: datetime) -> list[str]:
    """Start the deadline of ``step``: the fields it changed."""
    days = limit_days(case.category, case.tier, step)
    case.step = step
    case.step_started_at = now
    case.step_days = days
    case.warn_at, case.due_at = deadlines(now, days)
    case.alert = ""
    case.extension_requested_days = None
    return ["step", "step_started_at", "step_days", "warn_at", "due_at", "alert",
            "extension_requested_days"]  # fmt: skip


def stop_step(case: Case) -> list[str]:
    """No deadline runs any more (closed, rejected, merged, verified): the fields it changed."""
    case.step = Step.NONE
    case.step_started_at = case.warn_at = case.due_at = None
    case.step_days = None
    case.alert = ""
    case.extension_requested_days = None
    return ["step", "step_started_at", "step_days", "warn_at", "due_at", "alert",
            "extension_requested_days"]  # fmt: skip


# --- Supervision ------------------------------------------------------------------------------


@transition_service(Action.MARK_URGENT)
@transaction.atomic
def case_mark_urgent(*, actor: Any, case: Case | int, note: str = "") -> Case:
    case = begin(case, actor, Action.MARK_URGENT)
    if case.is_urgent:
        raise Conflict(_("事件已是加急件。"))
    case.is_urgent = True
    finish(
        case, actor=actor, action=Action.MARK_URGENT, from_state=case.state,
        fields=["is_urgent"], note=note,
    )  # fmt: skip
    return case


@transition_service(Action.SUPERVISE)
@transaction.atomic
def case_supervise(*, actor: Any, case: Case | int, level: str, note: str) -> Case:
    """督办 by the level above: ordinary, yellow card or red card. The level never goes down."""
    if level not in SupervisionLevel.values or not level:
        raise ValidationError({"level": _("请选择督办级别。")})
    note = note_for(Action.SUPERVISE, note)
    case = begin(case, actor, Action.SUPERVISE)
    Supervision.objects.create(case=case, level=level, by=actor, note=note[:500])
    if SUPERVISION_RANK[level] > SUPERVISION_RANK[case.supervision]:
        case.supervision = level
    finish(
        case, actor=actor, action=Action.SUPERVISE, from_state=case.state,
        fields=["supervision"], note=note, detail={"level": level},
    )  # fmt: skip
    return case


# --- The overdue sweep ------------------------------------------------------------------------


SWEEP_BATCH = 500


def _sweep_mark(*, alert: str, now: datetime) -> list[int]:
    """Claim one batch of cases that passed their mark, with a conditional UPDATE under
    SKIP LOCKED: two sweeps at once never claim the same case."""
    if alert == "red":
        pending = Case.objects.filter(alert__in=["", "yellow"], due_at__lte=now)
    else:
        pending = Case.objects.filter(alert="", warn_at__lte=now, due_at__gt=now)
    ids = list(
        pending.exclude(step="")
        .order_by()
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    if not ids:
        return []
    Case.objects.filter(pk__in=ids).update(alert=alert)
    return ids


def _sweep_notify(*, ids: list[int], alert: str, now: datetime) -> None:
    action = Action.OVERDUE if alert == "red" else Action.WARN
    cases = Case.objects.filter(pk__in=ids).select_related("category")
    events = []
    for case in cases:
        if alert == "red" and not case.supervision:
            case.supervision = SupervisionLevel.ORDINARY
            case.save(update_fields=["supervision"])
            Supervision.objects.create(
                case=case, level=SupervisionLevel.ORDINARY, by=None, note=_("超期自动督办")
            )
        events.append(
            CaseEvent(
                case=case, action=action, actor=None, from_state=case.state,
                to_state=case.state, tier=case.tier,
                detail={"due_at": case.due_at.isoformat() if case.due_at else None},
            )
        )  # fmt: skip
        stamp = case.due_at.timestamp() if case.due_at else 0
        tell(case=case, action=action, key=f"{alert}:{case.pk}:{case.step}:{stamp}")
    CaseEvent.objects.bulk_create(events)


def sweep_overdue(*, now: datetime | None = None) -> dict[str, int]:
    """Mark yellow (70 % of the limit) and red (past it), notify the handler and the level
    above once per event, and put late cases under supervision. Safe to run twice or on two
    workers at once: each batch is claimed under SKIP LOCKED with a conditional UPDATE, and
    notifications are unique per (recipient, event)."""
    now = now or timezone.now()
    counts = {"red": 0, "yellow": 0}
    for alert in ("red", "yellow"):
        while True:
            with transaction.atomic():
                ids = _sweep_mark(alert=alert, now=now)
                if not ids:
                    break
                _sweep_notify(ids=ids, alert=alert, now=now)
                audit_record(
                    action=AuditAction.UPDATE,
                    username="system",
                    target="cases.sweep_overdue",
                    detail={"alert": alert, "cases": len(ids)},
                )
            counts[alert] += len(ids)
    return counts
