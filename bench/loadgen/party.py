"""Party organisations: the four-level structure (社区党组织 → 小区党支部 → 楼栋党小组), the
owners' committees' and property companies' branches, and the district departments' own
organisations, each anchored to the area it covers."""

from __future__ import annotations

from datetime import date
from typing import Any

from governance.models import PartyOrg, PartyOrgKind, PartyOrgSector

from .copying import NULL
from .district import Loader, Node
from .names import DISTRICT_NAME, initials


def load_party_orgs(loader: Loader, counts: dict[str, int]) -> None:
    rng, t = loader.rng, loader.territory
    writer = loader.writer(
        PartyOrg,
        [
            "id",
            "path",
            "depth",
            "numchild",
            "name",
            "name_initials",
            "kind",
            "sector",
            "area",
            "area_path",
            "department",
            "company",
            "secretary",
            "founded_on",
            "is_active",
        ],
    )
    rows: list[list[Any]] = []
    next_id = iter(range(1, 10**9))
    children: dict[str, int] = {}

    def org(
        parent_path: str | None,
        name: str,
        kind: str,
        area: Node,
        *,
        sector: str = PartyOrgSector.TERRITORIAL,
        department: int | None = None,
        company: int | None = None,
        founded: date | None = None,
        secretary: str = "",
    ) -> tuple[int, str]:
        key = parent_path or ""
        position = children.get(key, 0) + 1
        children[key] = position
        depth = 1 if parent_path is None else len(parent_path) // PartyOrg.steplen + 1
        path = PartyOrg._get_path(parent_path, depth, position)
        pk = next(next_id)
        rows.append(
            [pk, path, depth, name, kind, sector, area, department, company, secretary, founded]
        )
        return pk, path

    companies_of_community: dict[int, list[int]] = {}
    for i, estate in enumerate(t.estates):
        company = loader.companies[(i * 7 + i // 5) % len(loader.companies)]
        estate.company_id = company.pk
        assert estate.parent is not None
        companies_of_community.setdefault(estate.parent.id, []).append(company.pk)
    placed_companies: set[int] = set()
    for street in t.streets:
        is_street = street.name.endswith("街道")
        _sid, street_path = org(
            None,
            f"中共{DISTRICT_NAME}{street.name}{'工作委员会' if is_street else '委员会'}",
            PartyOrgKind.WORKING_COMMITTEE if is_street else PartyOrgKind.COMMITTEE,
            street,
            founded=date(1984, 7, 1),
            secretary=loader.people.name("M"),
        )
        for community in street.children:
            cid, community_path = org(
                street_path,
                f"中共{community.name}委员会",
                PartyOrgKind.COMMITTEE,
                community,
                founded=date(2001, 7, 1),
                secretary=loader.people.name(rng.choice("MF")),
            )
            community.org_id, community.org_path = cid, community.path
            for index, estate in enumerate(community.children):
                bid, branch_path = org(
                    community_path,
                    f"{community.name}{estate.name}党支部",
                    PartyOrgKind.BRANCH,
                    estate,
                    founded=date(2018, 6, 1),
                    secretary=loader.people.name(rng.choice("MF")),
                )
                estate.org_id, estate.org_path = bid, estate.path
                for number, building in enumerate(estate.children):
                    # Most buildings have their 党小组; coverage is high, not complete.
                    if rng.random() < 0.15 and number > 0:
                        continue
                    gid, _gpath = org(
                        branch_path,
                        f"{community.name}{estate.name}{building.name}党小组",
                        PartyOrgKind.GROUP,
                        building,
                        founded=date(2020, 3, 1),
                    )
                    building.org_id, building.org_path = gid, building.path
                if index % 5 == 0:
                    org(
                        community_path,
                        f"{estate.name}业主委员会党支部",
                        PartyOrgKind.BRANCH,
                        estate,
                        sector=PartyOrgSector.OWNERS_COMMITTEE,
                        founded=date(2021, 5, 1),
                    )
            for company_id in companies_of_community.get(community.id, []):
                if company_id in placed_companies:
                    continue
                placed_companies.add(company_id)
                company = next(c for c in loader.companies if c.pk == company_id)
                org(
                    community_path,
                    f"{company.name}党支部",
                    PartyOrgKind.BRANCH,
                    community,
                    sector=PartyOrgSector.PROPERTY_COMPANY,
                    company=company_id,
                    founded=date(2021, 7, 1),
                )
    for department in loader.departments:
        org(
            None,
            f"中共{DISTRICT_NAME}{department.name}机关支部委员会",
            PartyOrgKind.BRANCH,
            t.district,
            sector=PartyOrgSector.DEPARTMENT,
            department=department.pk,
            founded=date(1990, 7, 1),
        )
    for pk, path, depth, name, kind, sector, area, dept, comp, secretary, founded in rows:
        writer.add(
            str(pk),
            path,
            str(depth),
            str(children.get(path, 0)),
            name,
            initials(name),
            kind,
            sector,
            str(area.id),
            area.path,
            str(dept) if dept else NULL,
            str(comp) if comp else NULL,
            secretary,
            founded.isoformat() if founded else NULL,
            "t",
        )
    writer.flush()
    counts["party organisations"] = writer.count
