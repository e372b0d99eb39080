"""What the home pages show, by the roles the actor holds."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from accounts.policies import (
    can_grant_roles,
    can_manage_lockouts,
    can_manage_users,
    can_read_audit_log,
)
from accounts.roles import Role
from accounts.scoping import Actor, scope_of
from accounts.selectors import audit_log_list, grant_list_for, security_summary, users_by_role
from cases.calendar import year_to_enter
from cases.policies import can_maintain_calendar, can_use_cases
from dashboards.selectors import home_dashboard, work_figures
from governance.models import Area, AreaLevel


def area_counts_for(actor: Actor) -> list[dict[str, Any]]:
    """How many areas of each level lie in the actor's scope: one grouped query."""
    counts = dict(
        Area.objects.visible_to(actor)
        .order_by()
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    return [
        {"level": level, "label": AreaLevel(level).label, "count": counts.get(level, 0)}
        for level in AreaLevel.values
        if level in counts
    ]


def home_summary(actor: Actor) -> dict[str, Any]:
    """What the home page shows, by the roles the actor holds: whoever handles cases sees
    what waits for them (待我办理, due today, overdue, supervised); whoever has a dashboard
    sees its few headline figures of the year (a department or company its ranking too)."""
    scope = scope_of(actor)
    summary: dict[str, Any] = {
        "grants": grant_list_for(actor),
        "area_counts": area_counts_for(actor),
    }
    if can_use_cases(actor):
        summary["work"] = work_figures(actor=actor)
    summary["dashboard"] = home_dashboard(actor=actor)
    if can_maintain_calendar(actor):
        summary["calendar_year"] = year_to_enter()
    if can_grant_roles(actor):
        summary["users_by_role"] = users_by_role(actor)
    elif actor.is_staff and can_manage_users(actor):
        summary["street_keeps_users"] = True  # the district lets this street keep its workers
    if can_manage_lockouts(actor):
        summary["security"] = security_summary(actor=actor)
    if can_read_audit_log(actor):
        summary["recent_audit"] = list(audit_log_list(actor=actor)[:8])
    summary["is_grid_worker"] = scope.has_role(Role.GRID_WORKER)
    return summary
