"""The frame every transition runs in, and the one entry point that runs one by name.

Each transition locks the case row (``select_for_update``), checks the actor's role against
``cases.policies`` (PermissionDenied: 403) and the current state against the workflow table
(:class:`common.errors.Conflict`: 409), sets state, tier and deadline, saves the changed fields,
appends a timeline row, writes its audit row in the same transaction and tells whoever the
table names (the SMS / e-mail goes out after commit). Of two concurrent requests the second
waits for the lock, then finds the state changed and is refused: no update is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from common.errors import Conflict

from .. import policies
from ..models import HANDLING_FIELDS, Case, CaseAttachment, CaseEvent
from ..photos import CheckedPhoto
from ..workflow import ACTION_LABELS, TRANSITIONS
from .handlers import assignments_release
from .notifications import tell

#: The service of each transition action, filled by :func:`transition_service`.
SERVICES: dict[str, Callable[..., Case]] = {}

F = TypeVar("F", bound=Callable[..., Case])


def transition_service(action: str) -> Callable[[F], F]:
    """Register the decorated function as the service of ``action`` (a row of the table)."""

    def register(service: F) -> F:
        if action not in TRANSITIONS:
            raise LookupError(f"{action!r} is not a transition of cases.workflow")
        SERVICES[action] = service
        return service

    return register


def lock(case: Case | int) -> Case:
    pk = case if isinstance(case, int) else case.pk
    locked: Case = (
        Case.objects.select_for_update(of=("self",)).select_related("category", "area").get(pk=pk)
    )
    return locked


def begin(case: Case | int, actor: Any, action: str) -> Case:
    """Lock the row, then check the role (403) and the state (409)."""
    locked = lock(case)
    if not policies.can_take(actor, action, locked):
        raise PermissionDenied(
            _("您无权对该事件执行“%(action)s”。") % {"action": ACTION_LABELS[action]}
        )
    transition = TRANSITIONS[action]
    if locked.state not in transition.sources:
        raise Conflict(
            _("事件当前为“%(state)s”，不能“%(action)s”，请刷新后查看。")
            % {"state": locked.get_state_display(), "action": transition.label}
        )
    return locked


def finish(
    case: Case,
    *,
    actor: Any,
    action: str,
    from_state: str,
    fields: Iterable[str],
    note: str = "",
    detail: dict[str, Any] | None = None,
    photos: Sequence[CheckedPhoto] = (),
) -> CaseEvent:
    # The handling columns go with every transition: the row is locked and whichever
    # assignments the service changed, they say so (cases.services.handlers).
    case.save(update_fields=sorted({*fields, *HANDLING_FIELDS, "updated_at"}))
    event = CaseEvent.objects.create(
        case=case,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_state=from_state,
        to_state=case.state,
        tier=case.tier,
        note=note,
        detail=detail or {},
    )
    store_photos(case=case, event=event, photos=photos, actor=actor)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=case,
        detail={"transition": action, "from": from_state, "to": case.state},
    )
    tell(case=case, action=action, key=f"{action}:{event.pk}", actor=actor, detail=detail)
    return event


def store_photos(
    *, case: Case, event: CaseEvent, photos: Sequence[CheckedPhoto], actor: Any
) -> None:
    for photo in photos:
        CaseAttachment.objects.create(
            case=case,
            event=event,
            image=photo.image,
            thumbnail=photo.thumbnail,
            content_type=photo.content_type,
            size=photo.size,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )


def required(note: str, message: Any) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": message})
    return note


def note_for(action: str, note: str) -> str:
    """The note of ``action``, refused when the workflow row requires one and it is empty."""
    message = TRANSITIONS[action].note_required
    return required(note, message) if message is not None else note


def end_assignments(case: Case, now: datetime) -> list[str]:
    """Release every unit from the case (回退, 呼叫上级, 重新办理, a new dispatch)."""
    return assignments_release(case, now)


def case_transition(*, actor: Any, case: Case | int, action: str, **params: Any) -> Case:
    """Run one of the transition actions by name (the API's and the page's entry point)."""
    service = SERVICES.get(action)
    if service is None:
        raise ValidationError({"action": _("未知的操作。")})
    result: Case = service(actor=actor, case=case, **params)
    return result
