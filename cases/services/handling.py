"""Handling and its check: on-the-spot handling (即时办结), the units' replies, 回退 and the
result, on-site verification, the resident's rating, reopening and closing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policies
from ..models import Case, CaseAssignment, CaseState, Satisfaction, Step
from ..photos import check_photos
from ..workflow import Action
from .deadlines import start_step, stop_step
from .frame import begin, end_assignments, finish, note_for, required, transition_service
from .handlers import assignments_complete, handlers_reload


def _resolve(
    actor: Any, case: Case | int, action: str, note: str, photos: Sequence[UploadedFile]
) -> Case:
    """Solved (on the spot, or by the lead unit): on-site verification is the next step."""
    checked = check_photos(list(photos))
    case = begin(case, actor, action)
    before = case.state
    now = timezone.now()
    assignments_complete(case, now)
    case.state = CaseState.RESOLVED
    case.resolved_at = now
    fields = ["state", "resolved_at", *start_step(case, Step.VERIFY, now)]
    finish(
        case, actor=actor, action=action, from_state=before, fields=fields, note=note,
        photos=checked,
    )  # fmt: skip
    return case


@transition_service(Action.HANDLE)
@transaction.atomic
def case_handle(
    *, actor: Any, case: Case | int, note: str, photos: Sequence[UploadedFile] = ()
) -> Case:
    """即时办结: solved on the spot at grid level; it still goes through on-site verification."""
    note = note_for(Action.HANDLE, note)
    return _resolve(actor, case, Action.HANDLE, note, photos)


@transition_service(Action.REPLY)
@transaction.atomic
def case_reply(
    *, actor: Any, case: Case | int, note: str, photos: Sequence[UploadedFile] = ()
) -> Case:
    """Each unit (lead or cooperating) gives its own reply; the state does not change."""
    note = note_for(Action.REPLY, note)
    checked = check_photos(list(photos))
    case = begin(case, actor, Action.REPLY)
    mine = policies.my_assignments(actor, case)
    now = timezone.now()
    CaseAssignment.objects.filter(pk__in=[a.pk for a in mine]).update(reply=note, replied_at=now)
    handlers_reload(case)
    finish(
        case, actor=actor, action=Action.REPLY, from_state=case.state, fields=[], note=note,
        detail={"units": [str(a.unit) for a in mine]}, photos=checked,
    )  # fmt: skip
    return case


@transition_service(Action.SEND_BACK)
@transaction.atomic
def case_send_back(*, actor: Any, case: Case | int, note: str) -> Case:
    """回退: the lead unit returns a case that is not theirs; the desk dispatches again. The
    handling deadline keeps running."""
    note = note_for(Action.SEND_BACK, note)
    case = begin(case, actor, Action.SEND_BACK)
    before = case.state
    now = timezone.now()
    end_assignments(case, now)
    case.state = CaseState.ACCEPTED
    case.extension_requested_days = None
    fields = ["state", "extension_requested_days"]
    finish(case, actor=actor, action=Action.SEND_BACK, from_state=before, fields=fields, note=note)
    return case


@transition_service(Action.RESOLVE)
@transaction.atomic
def case_resolve(
    *, actor: Any, case: Case | int, note: str, photos: Sequence[UploadedFile] = ()
) -> Case:
    """The lead unit reports the problem solved; on-site verification is next."""
    note = note_for(Action.RESOLVE, note)
    return _resolve(actor, case, Action.RESOLVE, note, photos)


@transition_service(Action.VERIFY)
@transaction.atomic
def case_verify(
    *, actor: Any, case: Case | int, note: str = "", photos: Sequence[UploadedFile] = ()
) -> Case:
    """The grid worker confirms on site that the problem is gone; the resident rates next."""
    checked = check_photos(list(photos))
    case = begin(case, actor, Action.VERIFY)
    before = case.state
    case.state = CaseState.VERIFIED
    fields = ["state", *stop_step(case)]
    finish(
        case, actor=actor, action=Action.VERIFY, from_state=before, fields=fields, note=note,
        photos=checked,
    )  # fmt: skip
    return case


def _reopen(case: Case, now: datetime) -> list[str]:
    end_assignments(case, now)
    case.state = CaseState.ACCEPTED
    case.reopen_count += 1
    case.resolved_at = None
    case.closed_at = None
    return ["state", "reopen_count", "resolved_at", "closed_at",
            *start_step(case, Step.HANDLE, now)]  # fmt: skip


@transition_service(Action.RATE)
@transaction.atomic
def case_rate(*, actor: Any, case: Case | int, satisfaction: str, note: str = "") -> Case:
    """The resident's rating (recorded by the grid worker or the community). Satisfied or
    basically satisfied closes the case; unsatisfied reopens it at the desk."""
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意度。")})
    if satisfaction == Satisfaction.UNSATISFIED:
        note = required(note, _("请记录居民不满意的原因。"))
    case = begin(case, actor, Action.RATE)
    before = case.state
    now = timezone.now()
    case.satisfaction = satisfaction
    if satisfaction == Satisfaction.UNSATISFIED:
        fields = ["satisfaction", *_reopen(case, now)]
    else:
        case.state = CaseState.CLOSED
        case.closed_at = now
        fields = ["satisfaction", "state", "closed_at"]
    finish(
        case, actor=actor, action=Action.RATE, from_state=before, fields=fields, note=note,
        detail={"satisfaction": satisfaction},
    )  # fmt: skip
    return case


@transition_service(Action.REOPEN)
@transaction.atomic
def case_reopen(*, actor: Any, case: Case | int, note: str) -> Case:
    """Back to the desk: verification found the problem still there, or the resident came back."""
    note = note_for(Action.REOPEN, note)
    case = begin(case, actor, Action.REOPEN)
    before = case.state
    now = timezone.now()
    fields = _reopen(case, now)
    finish(case, actor=actor, action=Action.REOPEN, from_state=before, fields=fields, note=note)
    return case


@transition_service(Action.CLOSE)
@transaction.atomic
def case_close(*, actor: Any, case: Case | int, note: str = "") -> Case:
    """结案 without a rating (e.g. the resident cannot be reached)."""
    case = begin(case, actor, Action.CLOSE)
    before = case.state
    case.state = CaseState.CLOSED
    case.closed_at = timezone.now()
    finish(
        case, actor=actor, action=Action.CLOSE, from_state=before, fields=["state", "closed_at"],
        note=note,
    )  # fmt: skip
    return case
