"""Volunteer-service data for tests, built through the services."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from typing import Any

from django.utils import timezone

from governance.models import Area
from volunteers import services
from volunteers.models import Activity, ActivityKind, Volunteer, VolunteerTeam

_numbers = count(1)


def phone() -> str:
    return f"139{next(_numbers):08d}"


def volunteer(community: Area, name: str | None = None, **extra: Any) -> Volunteer:
    n = next(_numbers)
    return services.volunteer_register(
        actor=None, community=community, name=name or f"志愿者{n}", phone=f"138{n:08d}", **extra
    )


def team(community: Area, name: str | None = None, **extra: Any) -> VolunteerTeam:
    values = {"kind": "brand", "name": name or f"红马甲公益团队{next(_numbers)}", **extra}
    return services.team_create(actor=None, community=community, **values)


def activity(
    community: Area, *, starts_at: datetime | None = None, hours: float = 2, **extra: Any
) -> Activity:
    """An activity that started an hour ago (so it can be checked in to and approved)."""
    start = starts_at or timezone.now() - timedelta(hours=1)
    values: dict[str, Any] = {
        "title": f"关爱独居老人{next(_numbers)}",
        "kind": ActivityKind.VOLUNTEER,
        "place": "社区党群服务中心",
        "starts_at": start,
        "ends_at": start + timedelta(hours=hours),
        "target_tags": ["living_alone"],
        **extra,
    }
    return services.activity_create(actor=None, community=community, **values)
