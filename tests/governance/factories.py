"""Area trees for tests, built through the service so levels and paths are real."""

from itertools import count

from governance.models import Area, AreaLevel
from governance.services import area_create

_codes = count(1)


def area(parent: Area | None, level: str, name: str | None = None) -> Area:
    if parent is not None:
        parent.refresh_from_db()
    number = next(_codes)
    return area_create(
        actor=None,
        parent=parent,
        name=name or f"{AreaLevel(level).label}{number}",
        level=level,
        code=f"9{number:011d}",
    )
