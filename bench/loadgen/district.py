"""The district itself: reference data, the area and party trees, grids and their
people, households with residents, members and needs."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models

from accounts.models import User
from accounts.personal_data import blind_index, encrypt
from cases.models import Category, RoutingRule, WorkCalendarDay
from governance.models import (
    Area,
    AreaLevel,
    Department,
    Household,
    MemberStatus,
    NeedKind,
    NeedsLedger,
    NeedStatus,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    PartyOrgSector,
    PropertyCompany,
    RelationToHead,
    Resident,
    VulnerableTag,
)
from grids.models import (
    CommunityWorker,
    FiveDuty,
    GradeChange,
    Grid,
    GridCoverage,
    GridKind,
    GridPost,
    GridStaffing,
    RecruitmentStatus,
    WorkerPost,
)

from .clock import Clock
from .copying import NULL, Copier, Log, TableWriter
from .database import ensure_bench_users
from .names import (
    CATEGORY_DEPARTMENTS,
    DEPARTMENTS,
    DISTRICT_CODE,
    DISTRICT_NAME,
    EMPLOYERS,
    ESTATE_SUFFIXES,
    NEED_TEXTS,
    STEMS,
    STREET_NAMES,
    People,
    cn_number,
    initials,
)
from .plan import DAY, END_DATE, END_TIME_OF_DAY, HOUR, YEARS, LoadError, Plan, split


@dataclass(eq=False)
class Node:
    """An area as the load builds it: its row's id, path, name and code, its place in the
    tree, and what later stages hang on it (a residential area's property company and grid,
    the lowest party organisation anchored on it)."""

    id: int
    path: str
    name: str
    code: str
    level: str
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    company_id: int | None = None
    grid_index: int | None = None
    org_id: int | None = None
    org_path: str | None = None

    @property
    def depth(self) -> int:
        return len(self.path) // Area.steplen


@dataclass
class Territory:
    district: Node
    streets: list[Node]
    communities: list[Node]
    estates: list[Node]
    buildings: list[Node]
    households_per_building: list[int]


class Person(NamedTuple):
    name: str
    gender: str
    birth: date
    id_number: str
    phone: str
    relation: str


@dataclass
class GridCell:
    id: int
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


class Loader:
    """One load, stage by stage, inside the caller's transaction."""

    def __init__(self, plan: Plan, log: Log) -> None:
        self.plan = plan
        self.log = log
        self.rng = random.Random(plan.seed)
        self.people = People(self.rng)
        self.counts: dict[str, int] = {}
        self.stages: list[tuple[str, float]] = []
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.start_date = END_DATE.replace(year=END_DATE.year - YEARS) + timedelta(days=1)
        first = self.start_date - timedelta(days=400)
        horizon = (END_DATE - first).days + 500
        exceptions = dict(
            WorkCalendarDay.objects.filter(
                date__gte=first, date__lt=first + timedelta(days=horizon)
            ).values_list("date", "is_working_day")
        )
        self.clock = Clock(first, horizon, exceptions, self.tz)
        self.exceptions = sorted(exceptions.items())
        self.end = self.clock.of(
            datetime.combine(END_DATE, datetime.min.time(), tzinfo=self.tz) + END_TIME_OF_DAY
        )
        self.copier: Copier | None = None

    # -- plumbing --

    def writer(self, model: type[models.Model], names: Sequence[str]) -> TableWriter:
        assert self.copier is not None
        return TableWriter(self.copier, model, names, self.log)

    @contextmanager
    def stage(self, name: str) -> Iterator[dict[str, int]]:
        started = time.perf_counter()
        counts: dict[str, int] = {}
        yield counts
        if self.copier is not None:
            self.copier.wait()
        seconds = time.perf_counter() - started
        self.stages.append((name, seconds))
        self.counts.update(counts)
        rows = ", ".join(f"{label} {n:,}" for label, n in counts.items())
        self.log(
            f"  {name}: {rows} rows in {seconds:.1f} s" if rows else f"  {name} in {seconds:.1f} s"
        )

    @contextmanager
    def copying(self) -> Iterator[None]:
        """The background COPY thread on the load's connection, for the stages inside."""
        connection.ensure_connection()
        self.copier = Copier(connection.connection)
        try:
            yield
        finally:
            self.copier.close()
            self.copier = None

    def users_and_routing(self, counts: dict[str, int]) -> None:
        self.users = ensure_bench_users()
        counts["users"] = User.objects.count()
        counts["routing rules"] = self.routing_rules()

    # -- reference data --

    def reference(self, counts: dict[str, int]) -> None:
        from cases.demo import _categories

        Department.objects.bulk_create(
            Department(name=name, code=f"D{n:03d}") for n, name in enumerate(DEPARTMENTS, 1)
        )
        self.departments = list(Department.objects.order_by("code"))
        n_companies = max(2, self.plan.communities // 2)
        PropertyCompany.objects.bulk_create(
            PropertyCompany(
                name=f"{DISTRICT_NAME}{STEMS[(n * 7) % len(STEMS)]}"
                f"{cn_number(n // len(STEMS) + 1) if n >= len(STEMS) else ''}物业服务有限公司",
                credit_code=f"91370499MA{n:07d}X",
            )
            for n in range(1, n_companies + 1)
        )
        self.companies = list(PropertyCompany.objects.order_by("credit_code"))
        self.categories = _categories()
        counts["departments"] = len(self.departments)
        counts["property companies"] = len(self.companies)
        counts["categories"] = Category.objects.count()

    # -- the area tree --

    def build_territory(self, counts: dict[str, int]) -> None:
        rng, plan = self.rng, self.plan
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
                node(
                    street, position, name, f"{street.code[:9]}{position:03d}", AreaLevel.COMMUNITY
                )
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
                    node(
                        estate,
                        b + 1,
                        f"{b + 1}号楼",
                        f"{estate.code}{b + 1:03d}",
                        AreaLevel.BUILDING,
                    )
                )
        for level in (streets, communities, estates, buildings):
            if any(len(n.parent.children) > 999 for n in level if n.parent):
                raise LoadError("more than 999 children under one area: the scale is too large")
        writer = self.writer(
            Area,
            [
                "id",
                "path",
                "depth",
                "numchild",
                "name",
                "name_initials",
                "level",
                "code",
                "is_active",
            ],
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
        self.territory = Territory(district, streets, communities, estates, buildings, households)

    # -- party organisations --

    def party_orgs(self, counts: dict[str, int]) -> None:
        rng, t = self.rng, self.territory
        writer = self.writer(
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
            company = self.companies[(i * 7 + i // 5) % len(self.companies)]
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
                secretary=self.people.name("M"),
            )
            for community in street.children:
                cid, community_path = org(
                    street_path,
                    f"中共{community.name}委员会",
                    PartyOrgKind.COMMITTEE,
                    community,
                    founded=date(2001, 7, 1),
                    secretary=self.people.name(rng.choice("MF")),
                )
                community.org_id, community.org_path = cid, community.path
                for index, estate in enumerate(community.children):
                    bid, branch_path = org(
                        community_path,
                        f"{community.name}{estate.name}党支部",
                        PartyOrgKind.BRANCH,
                        estate,
                        founded=date(2018, 6, 1),
                        secretary=self.people.name(rng.choice("MF")),
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
                    company = next(c for c in self.companies if c.pk == company_id)
                    org(
                        community_path,
                        f"{company.name}党支部",
                        PartyOrgKind.BRANCH,
                        community,
                        sector=PartyOrgSector.PROPERTY_COMPANY,
                        company=company_id,
                        founded=date(2021, 7, 1),
                    )
        for department in self.departments:
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

    # -- users and routing --

    def routing_rules(self) -> int:
        t = self.territory
        rules: list[RoutingRule] = []
        district_area = Area(pk=t.district.id)
        for code, departments in CATEGORY_DEPARTMENTS.items():
            category = self.categories.get(code)
            if category is None:
                continue
            if code[:2] in ("SZ", "AQ") or code == "HJ02":
                rules.append(
                    RoutingRule(
                        category=category,
                        area=district_area,
                        department=self.departments[departments[0]],
                    )
                )
        for community in t.communities:
            area = Area(pk=community.id)
            for code in ("WY01", "WY02", "WY03"):
                category = self.categories.get(code)
                if category is not None and community.children:
                    rules.append(
                        RoutingRule(
                            category=category,
                            area=area,
                            company_id=community.children[0].company_id,
                        )
                    )
        RoutingRule.objects.bulk_create(rules)
        return len(rules)

    # -- grids, workers, staffing --

    def grids(self, counts: dict[str, int]) -> None:
        rng, t, plan = self.rng, self.territory, self.plan
        per_community = split(plan.grids, len(t.communities), rng, spread=0.2)
        grids: list[Grid] = []
        cells: list[tuple[Node, list[Node]]] = []
        index = 0
        for community, n in zip(t.communities, per_community, strict=True):
            rural = community.parent is not None and community.parent.name.endswith("镇")
            estates = community.children
            for k in range(n):
                col, row = index % 40, index // 40
                x0, y0 = 117.60 + col * 0.004, 34.50 + row * 0.003
                x1, y1 = round(x0 + 0.0038, 6), round(y0 + 0.0028, 6)
                x0, y0 = round(x0, 6), round(y0, 6)
                ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
                grids.append(
                    Grid(
                        community_id=community.id,
                        area_path=community.path,
                        code=f"{community.code}G{k + 1:02d}",
                        name=f"{community.name}第{k + 1}网格",
                        kind=GridKind.RURAL if rural else GridKind.URBAN,
                        boundary={"type": "Polygon", "coordinates": [ring]},
                        min_lon=x0,
                        min_lat=y0,
                        max_lon=x1,
                        max_lat=y1,
                    )
                )
                covered = [e for j, e in enumerate(estates) if j * n // len(estates) == k]
                cells.append((community, covered))
                index += 1
        Grid.objects.bulk_create(grids, batch_size=2000)
        self.cells: list[GridCell] = []
        coverages: list[GridCoverage] = []
        for grid, (_community, covered) in zip(grids, cells, strict=True):
            assert grid.min_lon is not None and grid.min_lat is not None
            assert grid.max_lon is not None and grid.max_lat is not None
            cell_index = len(self.cells)
            self.cells.append(
                GridCell(grid.pk, grid.min_lon, grid.min_lat, grid.max_lon, grid.max_lat)
            )
            for estate in covered:
                estate.grid_index = cell_index
                coverages.append(GridCoverage(grid=grid, area_id=estate.id, area_path=estate.path))
        GridCoverage.objects.bulk_create(coverages, batch_size=5000)

        # Community workers: a head, two deputies and about 1.2 staff per grid (定岗网格).
        grids_of: dict[int, list[Grid]] = {}
        for grid in grids:
            grids_of.setdefault(grid.community_id, []).append(grid)
        workers: list[CommunityWorker] = []
        first = t.communities[0]
        for community in t.communities:
            n_staff = max(1, math.ceil(len(grids_of.get(community.id, [])) * 1.2))
            for rank in range(3 + n_staff):
                post = (
                    WorkerPost.HEAD
                    if rank == 0
                    else WorkerPost.DEPUTY
                    if rank < 3
                    else WorkerPost.STAFF
                )
                gender = rng.choice("MF")
                user = None
                name = self.people.name(gender)
                if community is first and rank == 0:
                    user = self.users.community_staff
                if community is first and rank == 3:
                    user = self.users.grid_worker
                if user is not None:
                    name = user.full_name
                hired = date(2012, 1, 1) + timedelta(days=int(rng.random() * 3800))
                workers.append(
                    CommunityWorker(
                        user=user,
                        community_id=community.id,
                        area_path=community.path,
                        name=name,
                        post=post,
                        grade=min(18, 1 + int(rng.random() * 10) + (6 if rank == 0 else 0)),
                        duty=FiveDuty.values[rank % len(FiveDuty.values)],
                        status=RecruitmentStatus.ACTIVE,
                        is_party_member=rng.random() < 0.7,
                        hired_on=hired,
                    )
                )
        CommunityWorker.objects.bulk_create(workers, batch_size=2000)
        GradeChange.objects.bulk_create(
            [
                GradeChange(
                    worker=w,
                    area_path=w.area_path,
                    post=w.post,
                    grade=w.grade,
                    effective_on=w.hired_on or date(2012, 1, 1),
                    reason="入职定岗定级",
                )
                for w in workers
            ],
            batch_size=2000,
        )
        by_community: dict[int, list[CommunityWorker]] = {}
        for worker in workers:
            by_community.setdefault(worker.community_id, []).append(worker)
        staffings: list[GridStaffing] = []
        started = date(2023, 1, 1)
        for community in t.communities:
            office = by_community[community.id][:3]
            staff = by_community[community.id][3:]
            cursor = 0
            for k, grid in enumerate(grids_of.get(community.id, [])):
                leader = office[k % len(office)]
                staffings.append(
                    GridStaffing(
                        grid=grid,
                        area_path=grid.area_path,
                        post=GridPost.LEADER,
                        worker=leader,
                        person_name=leader.name,
                        started_on=started,
                    )
                )
                staffings.append(
                    GridStaffing(
                        grid=grid,
                        area_path=grid.area_path,
                        post=GridPost.SECRETARY,
                        person_name=self.people.name(rng.choice("MF")),
                        started_on=started,
                    )
                )
                draw = rng.random()
                count = 1 if draw < 0.65 else 2 if draw < 0.98 else 0
                if k == 0:
                    count = max(count, 1)
                posted: list[CommunityWorker] = []
                for _ in range(count):
                    worker = staff[cursor % len(staff)]
                    cursor += 1
                    if worker not in posted:
                        posted.append(worker)
                for worker in posted:
                    staffings.append(
                        GridStaffing(
                            grid=grid,
                            area_path=grid.area_path,
                            post=GridPost.WORKER,
                            worker=worker,
                            person_name=worker.name,
                            started_on=started,
                        )
                    )
        GridStaffing.objects.bulk_create(staffings, batch_size=5000)
        # auto_now_add stamped the real "now"; the district's grids predate the three years.
        drawn = datetime(2022, 12, 1, 9, tzinfo=self.tz)
        Grid.objects.update(created_at=drawn, updated_at=drawn)
        GridCoverage.objects.update(created_at=drawn)
        CommunityWorker.objects.update(created_at=drawn)
        GradeChange.objects.update(recorded_at=drawn)
        counts["grids"] = len(grids)
        counts["grid coverages"] = len(coverages)
        counts["community workers"] = len(workers)
        counts["grid staffings"] = len(staffings)

    # -- households, residents, party members, needs --

    def households(self, counts: dict[str, int]) -> None:
        rng, t, people, clock = self.rng, self.territory, self.people, self.clock
        end_year = END_DATE.year
        households = self.writer(
            Household,
            [
                "id",
                "building",
                "area_path",
                "unit",
                "room",
                "head_name",
                "note",
                "is_active",
                "created_at",
                "updated_at",
            ],
        )
        residents = self.writer(
            Resident,
            [
                "id",
                "household",
                "area_path",
                "name",
                "gender",
                "birth_date",
                "relation",
                "tags",
                "is_active",
                "created_at",
                "id_number",
                "id_number_hash",
                "phone",
                "phone_hash",
            ],
        )
        members = self.writer(
            PartyMember,
            [
                "id",
                "name",
                "gender",
                "birth_date",
                "org",
                "area_path",
                "household",
                "status",
                "joined_on",
                "employer",
                "household_plaque",
                "model_post",
                "is_active",
                "created_at",
                "id_number",
                "id_number_hash",
                "phone",
                "phone_hash",
            ],
        )
        needs = self.writer(
            NeedsLedger,
            [
                "id",
                "household",
                "area_path",
                "kind",
                "description",
                "status",
                "taken_by",
                "result",
                "raised_on",
                "taken_on",
                "done_on",
                "created_by",
                "created_at",
            ],
        )
        started = time.perf_counter()
        households.progress = lambda n: (
            f"    … households {n:,} / {self.plan.households:,}, residents {residents.count:,}"
            f" ({time.perf_counter() - started:.0f} s)"
        )
        member_households = set(rng.sample(range(self.plan.households), self.plan.party_members))
        registered = clock.of(datetime(2023, 3, 1, 9, tzinfo=self.tz))
        end_day = END_DATE.toordinal()
        first_ordinal = clock.first.toordinal()
        household_id = resident_id = member_id = need_id = 0
        need_kinds = NeedKind.values

        def person(gender: str, first: int, last: int, relation: str) -> Person:
            name = people.name(gender)
            birth = people.birth(first, last)
            phone = people.phone() if end_year - birth.year >= 18 else ""
            return Person(name, gender, birth, people.id_number(birth, gender), phone, relation)

        for building, n in zip(t.buildings, t.households_per_building, strict=True):
            assert building.parent is not None
            floors = 6 if n <= 24 else 11 if n <= 44 else 18
            org_id, org_path = (building.org_id, building.org_path)
            if org_id is None:
                org_id, org_path = building.parent.org_id, building.parent.org_path
            for k in range(n):
                unit, place = divmod(k, floors * 2)
                floor, door = divmod(place, 2)
                index = household_id
                household_id += 1
                created = clock.text(registered + int(rng.random() * 300 * DAY))
                head_gender = "M" if rng.random() < 0.62 else "F"
                head = person(head_gender, 1938, 2000, RelationToHead.HEAD)
                households.add(
                    str(household_id),
                    str(building.id),
                    building.path,
                    str(unit + 1),
                    f"{floor + 1}{door + 1:02d}",
                    head.name,
                    "",
                    "t",
                    created,
                    created,
                )
                family = [head]
                year = head.birth.year
                if rng.random() < 0.72 and end_year - year >= 24:
                    spouse_gender = "F" if head_gender == "M" else "M"
                    family.append(
                        person(spouse_gender, year - 3, min(year + 3, 2000), RelationToHead.SPOUSE)
                    )
                if end_year - year < 65:
                    for _child in range(rng.choice((0, 1, 1, 2))):
                        first = max(year + 22, 1965)
                        if first > end_year - 1:
                            break
                        last = min(first + 16, end_year - 1)
                        family.append(person(rng.choice("MF"), first, last, RelationToHead.CHILD))
                for member in family:
                    resident_id += 1
                    relation, years = member.relation, end_year - member.birth.year
                    tags: list[str] = []
                    if relation == RelationToHead.HEAD:
                        if years >= 70 and len(family) == 1 and rng.random() < 0.5:
                            tags.append(VulnerableTag.LIVING_ALONE)
                        elif years >= 65 and len(family) == 2 and rng.random() < 0.3:
                            tags.append(VulnerableTag.EMPTY_NEST)
                        if rng.random() < 0.03:
                            tags.append(VulnerableTag.SUBSISTENCE)
                        if rng.random() < 0.015:
                            tags.append(VulnerableTag.SEVERE_DISABILITY)
                        if rng.random() < 0.02:
                            tags.append(VulnerableTag.RETIRED_SOLDIER)
                    elif relation == RelationToHead.CHILD and years < 16 and rng.random() < 0.06:
                        tags.append(VulnerableTag.LEFT_BEHIND_CHILD)
                    residents.add(
                        str(resident_id),
                        str(household_id),
                        building.path,
                        member.name,
                        member.gender,
                        member.birth.isoformat(),
                        relation,
                        "{" + ",".join(tags) + "}",
                        "t",
                        created,
                        encrypt(member.id_number),
                        blind_index(member.id_number),
                        encrypt(member.phone) if member.phone else "",
                        blind_index(member.phone),
                    )
                if index in member_households:
                    # The head (or the spouse) is the party member: the same person, with the
                    # same ID number and phone (encrypted afresh, as the service would).
                    who = family[1] if len(family) > 1 and rng.random() < 0.3 else family[0]
                    member_id += 1
                    if rng.random() < 0.04:
                        member_status, joined = (
                            MemberStatus.PROBATIONARY,
                            end_day - 30 - int(rng.random() * 300),
                        )
                    else:
                        member_status = MemberStatus.FULL
                        joined = who.birth.toordinal() + int((20 + rng.random() * 30) * 365.25)
                        joined = min(joined, end_day - 400)
                    in_service = end_year - who.birth.year < 60
                    members.add(
                        str(member_id),
                        who.name,
                        who.gender,
                        who.birth.isoformat(),
                        str(org_id),
                        str(org_path),
                        str(household_id),
                        member_status,
                        date.fromordinal(joined).isoformat(),
                        EMPLOYERS[int(rng.random() * len(EMPLOYERS))] if in_service else "",
                        "t" if rng.random() < 0.6 else "f",
                        "t" if rng.random() < 0.12 else "f",
                        "t",
                        created,
                        encrypt(who.id_number),
                        blind_index(who.id_number),
                        encrypt(who.phone) if who.phone else "",
                        blind_index(who.phone),
                    )
                if rng.random() < 0.02:
                    need_id += 1
                    kind = need_kinds[int(rng.random() * len(need_kinds))]
                    raised = end_day - 1 - int(rng.random() * 365)
                    status = rng.choice(
                        (NeedStatus.OPEN, NeedStatus.TAKEN, NeedStatus.DONE, NeedStatus.DONE)
                    )
                    taken = status != NeedStatus.OPEN
                    done = status == NeedStatus.DONE
                    needs.add(
                        str(need_id),
                        str(household_id),
                        building.path,
                        kind,
                        rng.choice(NEED_TEXTS[kind]),
                        status,
                        "社区网格员" if taken else "",
                        "已上门办理，居民满意" if done else "",
                        date.fromordinal(raised).isoformat(),
                        date.fromordinal(min(raised + 1, end_day)).isoformat() if taken else NULL,
                        date.fromordinal(min(raised + 5, end_day)).isoformat() if done else NULL,
                        NULL,
                        clock.text((raised - first_ordinal) * DAY + 2 * HOUR),
                    )
        for writer in (households, residents, members, needs):
            writer.flush()
        counts["households"] = households.count
        counts["residents"] = residents.count
        counts["party members"] = members.count
        counts["needs"] = needs.count
