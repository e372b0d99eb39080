"""What every supports service shares: the permission guard and the audit row."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from accounts.models import AuditAction
from accounts.services import audit_record


def require(allowed: bool) -> None:
    """Refuse an actor the policy does not allow (the system, actor None, always may)."""
    if not allowed:
        raise PermissionDenied


def system_or(actor: Any, allowed: Any) -> None:
    require(actor is None or bool(allowed()))


def user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def audit(
    *, actor: Any, target: models.Model | str, event: str, created: bool = False, **detail: Any
) -> None:
    """One audit row: ``event`` is the specific type (``room.book``, ``fund.spend``)."""
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=target,
        detail={"event": event, **detail},
    )


def today() -> date:
    return timezone.localdate()
