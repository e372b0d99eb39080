"""延期申请: the lead unit asks for more working days, the desk approves or refuses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import Conflict

from ..calendar import deadlines
from ..models import Case
from ..workflow import Action
from .frame import begin, finish, note_for, transition_service

MAX_EXTENSION_DAYS = 30


@transition_service(Action.REQUEST_EXTENSION)
@transaction.atomic
def case_request_extension(*, actor: Any, case: Case | int, days: int, note: str) -> Case:
    """延期申请: the lead unit asks for more working days; the desk decides."""
    note = note_for(Action.REQUEST_EXTENSION, note)
    if not 1 <= int(days) <= MAX_EXTENSION_DAYS:
        raise ValidationError(
            {"days": _("延期天数须在 1 到 %(max)d 个工作日之间。") % {"max": MAX_EXTENSION_DAYS}}
        )
    case = begin(case, actor, Action.REQUEST_EXTENSION)
    if case.extension_requested_days:
        raise Conflict(_("已有待审批的延期申请。"))
    case.extension_requested_days = int(days)
    finish(
        case, actor=actor, action=Action.REQUEST_EXTENSION, from_state=case.state,
        fields=["extension_requested_days"], note=note, detail={"days": int(days)},
    )  # fmt: skip
    return case


@transition_service(Action.APPROVE_EXTENSION)
@transaction.atomic
def case_approve_extension(*, actor: Any, case: Case | int, note: str = "") -> Case:
    """Approving moves the deadline (and the yellow mark) by the days asked for."""
    case = begin(case, actor, Action.APPROVE_EXTENSION)
    days = case.extension_requested_days
    if not days or case.step_started_at is None or case.step_days is None:
        raise Conflict(_("没有待审批的延期申请。"))
    total = case.step_days + days
    case.step_days = total
    case.warn_at, case.due_at = deadlines(case.step_started_at, total)
    case.alert = ""
    case.extension_requested_days = None
    finish(
        case, actor=actor, action=Action.APPROVE_EXTENSION, from_state=case.state,
        fields=["step_days", "warn_at", "due_at", "alert", "extension_requested_days"],
        note=note, detail={"days": days},
    )  # fmt: skip
    return case


@transition_service(Action.REFUSE_EXTENSION)
@transaction.atomic
def case_refuse_extension(*, actor: Any, case: Case | int, note: str) -> Case:
    note = note_for(Action.REFUSE_EXTENSION, note)
    case = begin(case, actor, Action.REFUSE_EXTENSION)
    if not case.extension_requested_days:
        raise Conflict(_("没有待审批的延期申请。"))
    days = case.extension_requested_days
    case.extension_requested_days = None
    finish(
        case, actor=actor, action=Action.REFUSE_EXTENSION, from_state=case.state,
        fields=["extension_requested_days"], note=note, detail={"days": days},
    )  # fmt: skip
    return case
