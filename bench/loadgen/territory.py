"""The area tree: the district, its streets, communities, residential areas and buildings,
with treebeard's paths, ``depth`` and ``numchild`` as the services would have written them, and
how many households each building holds."""

from __future__ import annotations

from governance.models import Area, AreaLevel

from .district import Loader, Node, Territory
from .names import (
    DISTRICT_CODE,
    DISTRICT_NAME,
    ESTATE_SUFFIXES,
    STEMS,
    STREET_NAMES,
    cn_number,
    initials,
)
from .plan import LoadError, split


def load_territory(loader: Loader, counts: dict[str, int]) -> None:
    rng, plan = loader.rng, loader.plan
    next_id = iter(range(1, 10**9))

    def node(parent: Node | None, position: int, name: str, code: str, level: str) -> Node:
        depth = 1 if parent is None else parent.depth + 1
        path = Area._get_path(parent.path if parent else None, depth, position)
        made = Node(next(next_id), path, name, code, level, parent)
        if parent is not None:
            parent.children.append(made)
        return made

    district = node(None, 1, DISTRICT_NAME, DISTRICT_CODE, AreaLevel.DISTRICT)
    streets = [
        node(
            district,
            i + 1,
            STREET_NAMES[i % len(STREET_NAMES)],
            f"{DISTRICT_CODE[:6]}{i + 1:03d}000",
            AreaLevel.STREET,
        )
        for i in range(plan.streets)
    ]
    communities: list[Node] = []
    for i in range(plan.communities):
        street = streets[i % plan.streets]
        position = len(street.children) + 1
        stem = STEMS[i % len(STEMS)]
        name = f"{stem}{cn_number(i // len(STEMS) + 1) if i >= len(STEMS) else ''}社区"
        communities.append(
            node(street, position, name, f"{street.code[:9]}{position:03d}", AreaLevel.COMMUNITY)
        )
    # Tree order (the order of paths), as a district's own listing would be.
    communities.sort(key=lambda c: c.path)
    estates: list[Node] = []
    for ci, (community, n) in enumerate(
        zip(communities, split(plan.residential_areas, len(communities), rng), strict=True)
    ):
        taken: set[str] = set()
        for k in range(n):
            name = (
                STEMS[(ci * 13 + k * 7 + 5) % len(STEMS)]
                + ESTATE_SUFFIXES[(ci + k) % len(ESTATE_SUFFIXES)]
            )
            phase = 1
            unique = name
            while unique in taken:
                phase += 1
                unique = f"{name}{cn_number(phase)}期"
            taken.add(unique)
            estates.append(
                node(
                    community,
                    k + 1,
                    unique,
                    f"{community.code}{k + 1:03d}",
                    AreaLevel.RESIDENTIAL_AREA,
                )
            )
    buildings: list[Node] = []
    for estate, n in zip(estates, split(plan.buildings, len(estates), rng), strict=True):
        for b in range(n):
            buildings.append(
                node(estate, b + 1, f"{b + 1}号楼", f"{estate.code}{b + 1:03d}", AreaLevel.BUILDING)
            )
    for level in (streets, communities, estates, buildings):
        if any(len(n.parent.children) > 999 for n in level if n.parent):
            raise LoadError("more than 999 children under one area: the scale is too large")
    writer = loader.writer(
        Area,
        ["id", "path", "depth", "numchild", "name", "name_initials", "level", "code", "is_active"],
    )
    for area in [district, *streets, *communities, *estates, *buildings]:
        writer.add(
            str(area.id),
            area.path,
            str(area.depth),
            str(len(area.children)),
            area.name,
            initials(area.name),
            area.level,
            area.code,
            "t",
        )
    writer.flush()
    households = split(plan.households, len(buildings), rng, spread=0.45)
    counts["areas"] = writer.count
    loader.territory = Territory(district, streets, communities, estates, buildings, households)
