"""Coverage (物业服务覆盖率, 业委会组建率, 三无小区): residential areas of a subtree with a
contract valid today, with an owners' committee in office, with neither and no competent
department. One query over the subtree's residential areas, grouped in Python by the child of
the chosen area (drillable down to the areas)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from governance.models import Area, AreaLevel

from ...models import (
    ContractKind,
    EstateProfile,
    OwnersCommittee,
    ServiceContract,
)
from .base import STEP, share


@dataclass
class CoverageRow:
    area: Area | None
    estates: int = 0
    by_company: int = 0
    self_managed: int = 0
    fallback: int = 0
    committees: int = 0
    triple_none: int = 0
    old_estates: int = 0

    @property
    def served(self) -> int:
        return self.by_company + self.self_managed + self.fallback

    @property
    def service_share(self) -> float | None:
        return share(self.served, self.estates)

    @property
    def committee_share(self) -> float | None:
        return share(self.committees, self.estates)

    def add(self, estate: dict[str, Any]) -> None:
        self.estates += 1
        kind = estate["contract_kind"]
        if kind == ContractKind.COMPANY:
            self.by_company += 1
        elif kind == ContractKind.SELF:
            self.self_managed += 1
        elif kind == ContractKind.FALLBACK:
            self.fallback += 1
        self.committees += bool(estate["has_committee"])
        self.triple_none += bool(estate["triple_none"])
        self.old_estates += bool(estate["is_old"])


@dataclass
class Coverage:
    area: Area
    total: CoverageRow
    rows: list[CoverageRow]
    estates: list[dict[str, Any]] = field(default_factory=list)


def estate_facts(area: Area, day: date | None = None) -> list[dict[str, Any]]:
    """Every active residential area under ``area`` with its contract today (kind, company),
    whether a committee is in office and whether it has a competent department: one query."""
    day = day or timezone.localdate()
    contracts = ServiceContract.objects.filter(
        area=OuterRef("pk"), starts_on__lte=day, ends_on__gte=day
    )
    committees = OwnersCommittee.objects.filter(
        area=OuterRef("pk"), term_starts_on__lte=day, term_ends_on__gte=day
    )
    profiles = EstateProfile.objects.filter(area=OuterRef("pk"))
    rows = list(
        Area.objects.filter(
            path__startswith=area.path, level=AreaLevel.RESIDENTIAL_AREA, is_active=True
        )
        .annotate(
            contract_kind=Subquery(contracts.values("kind")[:1]),
            company_name=Subquery(contracts.values("company__name")[:1]),
            company_id=Subquery(contracts.values("company_id")[:1]),
            committee_ends=Subquery(committees.values("term_ends_on")[:1]),
            has_committee=Exists(committees),
            has_department=Exists(profiles.filter(competent_department__isnull=False)),
            is_old=Exists(profiles.filter(is_old_estate=True)),
        )
        .order_by("path")
        .values(
            "pk",
            "name",
            "path",
            "contract_kind",
            "company_name",
            "company_id",
            "committee_ends",
            "has_committee",
            "has_department",
            "is_old",
        )
    )
    for row in rows:
        row["triple_none"] = not (
            row["contract_kind"] or row["has_committee"] or row["has_department"]
        )
    return rows


def coverage(area: Area, day: date | None = None) -> Coverage:
    """Coverage of ``area``'s subtree, one row per child (per residential area below a
    community), with the areas themselves for the drill-down."""
    estates = estate_facts(area, day)
    total = CoverageRow(area=area)
    by_child: dict[str, CoverageRow] = {}
    child_length = len(area.path) + STEP
    for estate in estates:
        total.add(estate)
        key = estate["path"][:child_length]
        by_child.setdefault(key, CoverageRow(area=None)).add(estate)
    children = {a.path: a for a in Area.objects.filter(path__in=list(by_child))}
    rows = []
    for path, row in sorted(by_child.items()):
        row.area = children.get(path)
        rows.append(row)
    return Coverage(area=area, total=total, rows=rows, estates=estates)
