"""双报到 data for tests, built through the services so every copy and check is real."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from django.utils import timezone

from governance.models import Area, Department
from volunteers import services
from volunteers.models import (
    CoBuildProject,
    CommunityNeed,
    MemberCheckIn,
    ProjectState,
    Resource,
    ResourceKind,
    UnitCheckIn,
)

_numbers = count(1)


def department(name: str | None = None) -> Department:
    n = next(_numbers)
    return Department.objects.create(name=name or f"测试单位{n}", code=f"V{n:04d}")


def checkin(unit: Department, community: Area, *, confirmed: bool = True) -> UnitCheckIn:
    made = services.unit_checkin_create(
        actor=None,
        department=unit,
        community=community,
        year=timezone.localdate().year,
        contact_name="联系人",
        contact_phone="13800000000",
    )
    if confirmed:
        made = services.unit_checkin_confirm(actor=None, checkin=made)
    return made


def resource(made: UnitCheckIn, name: str = "党员志愿服务队") -> Resource:
    return services.resource_add(
        actor=None, checkin=made, kind=ResourceKind.PEOPLE, name=name, quantity=Decimal(10)
    )


def need(community: Area, title: str = "楼道照明") -> CommunityNeed:
    return services.need_create(actor=None, community=community, kind="property", title=title)


def project(
    community: Area, unit: Department | None = None, *, state: str = ProjectState.PROPOSED,
    **extra: Any,
) -> CoBuildProject:  # fmt: skip
    """A project of ``community`` led by ``unit`` (checked in there), moved to ``state``."""
    unit = unit or department()
    made = UnitCheckIn.objects.filter(department=unit, community=community).first()
    made = made or checkin(unit, community)
    today = timezone.localdate()
    values: dict[str, Any] = {
        "title": f"共建项目{next(_numbers)}",
        "lead_department": unit,
        "needs": [need(community)],
        "resources": [resource(made)],
        "starts_on": today - timedelta(days=30),
        "ends_on": today + timedelta(days=60),
    }
    values.update(extra)
    result = services.project_create(actor=None, community=community, **values)
    path = {
        ProjectState.PROPOSED: [],
        ProjectState.AGREED: ["agree"],
        ProjectState.IN_PROGRESS: ["agree", "start"],
        ProjectState.COMPLETED: ["agree", "start", "complete"],
        ProjectState.CANCELLED: ["cancel"],
    }[ProjectState(state)]
    for action in path:
        result = services.project_transition(actor=None, project=result, action=action, note="好")
    return result


def member(
    community: Area, *, name: str = "张在职", phone: str | None = None, **extra: Any
) -> MemberCheckIn:
    n = next(_numbers)
    return services.member_checkin_create(
        actor=None,
        community=community,
        name=name,
        employer=extra.pop("employer", "区供电公司"),
        branch="机关第一党支部",
        phone=phone or f"139{n:08d}",
        registered_on=extra.pop(
            "registered_on", min(date(timezone.localdate().year, 1, 2), timezone.localdate())
        ),
        **extra,
    )
