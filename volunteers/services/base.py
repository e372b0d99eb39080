"""What the services of this app share: the actor as a row's author, the audit row, the
community of an area, the policy guard."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from governance.models import Area, AreaLevel


def author(actor: Any) -> Any:
    """The actor as a foreign key value (seed_demo and tasks act as None)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def require(allowed: bool, message: str | None = None) -> None:
    """Services run for real users and for ``actor=None`` (seed, loaders): None is trusted."""
    if not allowed:
        raise PermissionDenied(message or _("您无权进行此操作。"))


def trusted(actor: Any) -> bool:
    return actor is None


def audit(
    actor: Any, target: models.Model, event: str, created: bool = False, **detail: Any
) -> None:
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=target,
        detail={"event": event, **detail},
    )


def community_of(area: Area, field: str = "community") -> Area:
    if area.level != AreaLevel.COMMUNITY:
        raise ValidationError({field: _("请选择一个社区。")})
    return area


def community_by_path(path: str) -> Area:
    """The community above (or at) a path of the territory tree."""
    return Area.objects.get(path=path[: 3 * Area.steplen])
