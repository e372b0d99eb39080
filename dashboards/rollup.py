"""Reads of the case rollups (see dashboards/models.py): every figure of a dashboard comes from
two or three of these grouped sums, each reading a few thousand counter rows whatever the size
of the case table. Rollup and journal are read in one statement (one snapshot), so a figure is
exact at the moment it is read, folded or not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connection

from .measures import Measures
from .models import MEASURES
from .periods import Period
from .territory import Territory

_COLUMNS = [*MEASURES, "handling_seconds"]
_SUMS = ", ".join(f"sum({name})" for name in _COLUMNS)
_SELECT = "month, street_id, community_id, facet, value, " + ", ".join(_COLUMNS)


def _where(territory: Territory) -> tuple[str, list[Any]]:
    if territory.is_unit:
        return "facet = 'unit' AND value = %s", [territory.unit]
    if territory.everything:
        return "TRUE", []
    return "(street_id = ANY(%s) OR community_id = ANY(%s))", [
        list(territory.street_ids),
        list(territory.community_ids),
    ]


def _grouped(
    group: Sequence[str], conditions: str, params: list[Any]
) -> list[tuple[tuple[Any, ...], Measures]]:
    # Only this module's constants go into the text; every value is a parameter.
    keys = ", ".join(group)
    inner = f"SELECT {_SELECT} FROM {{table}} WHERE {conditions}"  # noqa: S608
    sql = (
        f"SELECT {keys}, {_SUMS} FROM ("  # noqa: S608
        f"{inner.format(table='dashboards_caserollup')} UNION ALL "
        f"{inner.format(table='dashboards_caserollupdelta')}"
        f") AS rows GROUP BY {', '.join(str(i + 1) for i in range(len(group)))}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + params)
        rows = cursor.fetchall()
    width = len(group)
    return [(tuple(row[:width]), Measures.from_row(row[width:])) for row in rows]


class RollupSource:
    """The dashboards' figures from the rollups."""

    name = "rollup"

    def facets(
        self, territory: Territory, period: Period, facets: Sequence[str]
    ) -> dict[str, dict[str, Measures]]:
        """For each facet, its values' measures over the period (on a unit's dashboard, the
        unit facet alone: its own cases as one row)."""
        where, params = _where(territory)
        rows = _grouped(
            ["facet", "value"],
            f"facet = ANY(%s) AND month >= %s AND month <= %s AND {where}",
            [list(facets), period.first, period.last, *params],
        )
        result: dict[str, dict[str, Measures]] = {facet: {} for facet in facets}
        for (facet, value), measures in rows:
            result[facet][value] = measures
        return result

    def months(
        self, territory: Territory, first: date, last: date, by: str | None = None
    ) -> list[tuple[date, int, Measures]]:
        """(month, street or community id (0 when ``by`` is None), measures) over every case
        of the territory reported in [first, last] (months)."""
        where, params = _where(territory)
        if territory.is_unit:
            facet, by = "", None
        else:
            facet = "facet = 'state' AND "
        child = {"street": "street_id", "community": "community_id"}.get(by or "", "0")
        rows = _grouped(
            ["month", child],
            f"{facet}month >= %s AND month <= %s AND {where}",
            [first, last, *params],
        )
        return [(key[0], int(key[1]), measures) for key, measures in rows]

    def units(self, period: Period, kind: str) -> dict[str, Measures]:
        """Every handling unit of a kind ("department", "company", "area") over the district:
        the appraisal of departments ranks them all."""
        rows = _grouped(
            ["value"],
            "facet = 'unit' AND value LIKE %s AND month >= %s AND month <= %s",
            [f"{kind}:%", period.first, period.last],
        )
        return {key[0]: measures for key, measures in rows}


def fold() -> int:
    """Fold the journal into the rollup; -1 when another fold (or a bulk change) holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT dashboards_fold()")
        return int(cursor.fetchone()[0])


def rebuild() -> int:
    """Build everything again from the case tables (writes to them wait meanwhile)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT dashboards_rebuild()")
        return int(cursor.fetchone()[0])


def journal_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dashboards_caserollupdelta")
        return int(cursor.fetchone()[0])
