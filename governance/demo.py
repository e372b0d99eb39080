"""The demo district of the seed report: 台儿庄区. Idempotent: found by code, never duplicated."""

from typing import Any

from .models import Area, AreaLevel
from .services import area_create

DISTRICT = ("台儿庄区", "370405000000")
STREETS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("运河街道", "370405001000", [("华阳社区", "370405001001"), ("古城社区", "370405001002")]),
    ("泥沟镇", "370405100000", [("泥沟社区", "370405100001")]),
]


def _ensure(parent: Area | None, name: str, level: str, code: str) -> Area:
    existing = Area.objects.filter(code=code).first()
    if existing is not None:
        return existing
    if parent is not None:
        parent.refresh_from_db()  # treebeard needs the parent's current numchild
    return area_create(actor=None, parent=parent, name=name, level=level, code=code)


def seed(log: Any) -> None:
    district = _ensure(None, DISTRICT[0], AreaLevel.DISTRICT, DISTRICT[1])
    for street_name, street_code, communities in STREETS:
        street = _ensure(district, street_name, AreaLevel.STREET, street_code)
        for name, code in communities:
            _ensure(street, name, AreaLevel.COMMUNITY, code)
    log(f"区域: {Area.objects.count()} 个")
