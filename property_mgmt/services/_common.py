"""What every service of the app shares: the permission guard, the area checks, the audit row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from governance.models import Area, AreaLevel


def require(allowed: bool, message: str = "") -> None:
    if not allowed:
        raise PermissionDenied(message or _("您无权执行该操作。"))


def system_or(actor: Any, allowed: bool) -> None:
    """``actor=None`` is the system (seed_demo, imports run by a command)."""
    if actor is not None:
        require(allowed)


def check_estate(area: Area, field: str = "area") -> Area:
    if area.level != AreaLevel.RESIDENTIAL_AREA:
        raise ValidationError({field: _("请选择一个小区。")})
    if not area.is_active:
        raise ValidationError({field: _("该小区已停用。")})
    return area


def estate_of(area: Area) -> Area:
    """The residential area of a residential area or of a building."""
    if area.level == AreaLevel.RESIDENTIAL_AREA:
        return area
    if area.level == AreaLevel.BUILDING:
        return Area.objects.get(path=area.path[: -Area.steplen])
    raise ValidationError({"area": _("请选择小区或楼栋。")})


def community_path(path: str) -> str:
    return path[: 3 * Area.steplen]


def audit(
    actor: Any, event: str, target: models.Model, *, created: bool = False, **detail: Any
) -> None:
    """One audit row; ``event`` names what happened (``contract.terminate``)."""
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        username="system" if actor is None else "",
        target=target,
        detail={"event": event, **detail},
    )
