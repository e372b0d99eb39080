"""Reads of the accounts app, already scoped."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import ApiToken, AuditLog, AuditOutcome, RoleGrant
from .policies import can_grant_roles, can_manage_lockouts, can_read_audit_log
from .roles import Role
from .scoping import Actor


def grant_list_for(user: Actor) -> list[dict[str, Any]]:
    """The user's grants with the full name path of each area ("台儿庄区 / 运河街道 / 华阳社区")."""
    grants = list(
        RoleGrant.objects.filter(user=user).select_related("area", "department", "company")
    )
    # The area model through the grant's own foreign key: accounts sits below governance.
    Area: Any = RoleGrant._meta.get_field("area").related_model
    steplen = Area.steplen
    ancestor_paths = {
        grant.area.path[:end]
        for grant in grants
        if grant.area is not None
        for end in range(steplen, len(grant.area.path) + 1, steplen)
    }
    names = dict(Area.objects.filter(path__in=ancestor_paths).values_list("path", "name"))
    rows = []
    for grant in grants:
        if grant.area is not None:
            path = grant.area.path
            label = " / ".join(
                names.get(path[:end], "") for end in range(steplen, len(path) + 1, steplen)
            )
        else:
            label = grant.scope_label
        rows.append({"role": grant.role, "role_label": grant.get_role_display(), "scope": label})
    return rows


def users_by_role(actor: Actor) -> list[dict[str, Any]]:
    if not can_grant_roles(actor):
        raise PermissionDenied
    counts = dict(
        RoleGrant.objects.filter(user__is_active=True)
        .order_by()
        .values_list("role")
        .annotate(n=Count("user", distinct=True))
        .values_list("role", "n")
    )
    return [{"role": role.label, "count": counts.get(role.value, 0)} for role in Role]


def audit_log_list(
    *,
    actor: Actor,
    action: str = "",
    outcome: str = "",
    username: str = "",
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    ordering: str = "-at",
) -> QuerySet[AuditLog]:
    """The audit log, for the auditor and the security administrator only."""
    if not can_read_audit_log(actor):
        raise PermissionDenied
    filters = Q()
    if action:
        filters &= Q(action=action)
    if outcome:
        filters &= Q(outcome=outcome)
    if username:
        filters &= Q(username__icontains=username)
    if date_from:
        filters &= Q(at__gte=date_from)
    if date_to:
        filters &= Q(at__lt=date_to)
    allowed = {"at", "-at", "username", "-username", "action", "-action", "outcome", "-outcome"}
    order = ordering if ordering in allowed else "-at"
    return AuditLog.objects.filter(filters).order_by(order, "-id")


def lockout_list(*, actor: Actor) -> QuerySet[Any]:
    """Usernames locked out now: AXES_FAILURE_LIMIT failures within the cool-off period."""
    if not can_manage_lockouts(actor):
        raise PermissionDenied
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")


def security_summary(*, actor: Actor) -> dict[str, int]:
    since = timezone.now() - timedelta(hours=24)
    return {
        "locked": lockout_list(actor=actor).count(),
        "failed_24h": AuditLog.objects.filter(
            outcome__in=[AuditOutcome.FAILURE, AuditOutcome.DENIED], at__gte=since
        ).count(),
    }


def api_token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    """The actor's own API tokens, newest first (nobody sees another user's on this page; the
    security administrator finds them in the back office)."""
    return ApiToken.objects.filter(user=actor).select_related("revoked_by")
