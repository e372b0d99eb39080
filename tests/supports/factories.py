"""Supports data for tests, built through the services so paths and audit rows are real."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from django.utils import timezone

from governance.models import Area
from supports.models import ChecklistItem, FundKind, Studio
from supports.services import careers, centres, funds, studio

_numbers = count(1)


def centre(area: Area, **extra: Any) -> Any:
    number = next(_numbers)
    fields: dict[str, Any] = {
        "name": f"{area.name}党群服务中心{number}",
        "address": f"{area.name}{number}号",
        "opening_hours": "8:30—17:30",
        "services": ["volunteer", "convenience", "culture"],
        "lines": ["party", "government"],
    }
    fields.update(extra)
    return centres.centre_create(actor=None, area=area, **fields)


def room(place: Any, **extra: Any) -> Any:
    fields: dict[str, Any] = {"name": f"活动室{next(_numbers)}", "capacity": 30}
    fields.update(extra)
    return centres.room_add(actor=None, centre=place, **fields)


def slot(days: int = 1, hour: int = 9, hours: int = 2) -> tuple[Any, Any]:
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    start += timedelta(days=days)
    return start, start + timedelta(hours=hours)


def checklist_item(levels: list[str], points: int = 10) -> ChecklistItem:
    number = next(_numbers)
    return ChecklistItem.objects.create(
        code=f"C{number:03d}",
        section="阵地设置",
        title=f"要求{number}",
        points=points,
        levels=levels,
    )


def the_studio(host: Area) -> Studio:
    found = Studio.objects.first()
    return found or studio.studio_create(
        actor=None,
        name="优秀党组织书记工作室",
        host=host,
        leader="王书记",
        founded_on=date(2021, 7, 1),
    )


def problem(community: Area, **extra: Any) -> Any:
    host = Area.objects.get(path=community.path[: Area.steplen])
    fields: dict[str, Any] = {
        "title": f"疑难问题{next(_numbers)}",
        "topic": "organisation",
        "description": "党员教育管理难以落实",
        "raised_on": date(2025, 3, 1),
    }
    fields.update(extra)
    return studio.problem_raise(actor=None, studio=the_studio(host), community=community, **fields)


def solved(community: Area) -> Any:
    item = problem(community)
    studio.problem_transition(actor=None, problem=item, action="accept")
    studio.problem_transition(actor=None, problem=item, action="advise", advice="分类施策")
    studio.problem_transition(actor=None, problem=item, action="solve", note="已化解")
    return item


def budget(
    community: Area, kind: str = FundKind.WORK, amount: str = "260000", year: int | None = None
) -> Any:
    return funds.budget_set(
        actor=None,
        community=community,
        year=year or timezone.localdate().year,
        kind=kind,
        amount=Decimal(amount),
    )


def spend(target: Any, amount: str = "1000", **extra: Any) -> Any:
    fields: dict[str, Any] = {
        "spent_on": min(timezone.localdate(), date(target.year, 1, 2)),
        "purpose": "activities",
        "description": "组织活动",
        "approver": "李主任",
    }
    fields.update(extra)
    return funds.spending_record(actor=None, budget=target, amount=Decimal(amount), **fields)


def round_(**extra: Any) -> Any:
    fields: dict[str, Any] = {
        "title": f"社区工作者招考{next(_numbers)}",
        "year": timezone.localdate().year,
        "announced_on": timezone.localdate() - timedelta(days=10),
        "signup_ends_on": timezone.localdate() + timedelta(days=10),
    }
    fields.update(extra)
    return careers.round_create(actor=None, **fields)
