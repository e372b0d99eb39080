"""The case ledger's Excel rows as plain values: a street's 170,000 cases loaded as model
instances with their category, its parent, street, community and place (six objects a row)
spent most of an export building objects. The export reads the case's own columns
(``values()``) and the names of areas and categories once per id for the whole file."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from governance.models import Area

from .models import Category

FIELDS = (
    "number", "title", "category_id", "state", "tier", "street_id", "community_id", "area_id",
    "address", "source", "is_urgent", "supervision", "alert", "created_at", "due_at",
    "closed_at", "satisfaction",
)  # fmt: skip


class ExportNames:
    """Area and category names for the rows of one export, each read once."""

    def __init__(self) -> None:
        self.areas: dict[int, str] = {}
        self.categories: dict[int, str] | None = None

    def rows(self, values: list[dict[str, Any]]) -> list[SimpleNamespace]:
        if self.categories is None:
            self.categories = {c.pk: str(c) for c in Category.objects.select_related("parent")}
        wanted = {v[k] for v in values for k in ("street_id", "community_id", "area_id")}
        missing = wanted - self.areas.keys()
        if missing:
            self.areas.update(Area.objects.filter(pk__in=missing).values_list("pk", "name"))
        return [
            SimpleNamespace(
                **v,
                category=self.categories.get(v["category_id"], ""),
                street_name=self.areas.get(v["street_id"], ""),
                community_name=self.areas.get(v["community_id"], ""),
                area_name=self.areas.get(v["area_id"], ""),
            )
            for v in values
        ]
