"""Grids (多网融合) and their people: each community's grids with their cells and the
residential areas they cover, community workers (3岗18级, 五员) and who is posted to each grid
(定岗网格: a leader, a party secretary, one or two grid workers)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

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

from .district import GridCell, Loader, Node
from .plan import split


def load_grids(loader: Loader, counts: dict[str, int]) -> None:
    rng, t, plan = loader.rng, loader.territory, loader.plan
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
    loader.cells = []
    coverages: list[GridCoverage] = []
    for grid, (_community, covered) in zip(grids, cells, strict=True):
        assert grid.min_lon is not None and grid.min_lat is not None
        assert grid.max_lon is not None and grid.max_lat is not None
        cell_index = len(loader.cells)
        loader.cells.append(
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
            name = loader.people.name(gender)
            if community is first and rank == 0:
                user = loader.users.community_staff
            if community is first and rank == 3:
                user = loader.users.grid_worker
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
                    person_name=loader.people.name(rng.choice("MF")),
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
    drawn = datetime(2022, 12, 1, 9, tzinfo=loader.tz)
    Grid.objects.update(created_at=drawn, updated_at=drawn)
    GridCoverage.objects.update(created_at=drawn)
    CommunityWorker.objects.update(created_at=drawn)
    GradeChange.objects.update(recorded_at=drawn)
    counts["grids"] = len(grids)
    counts["grid coverages"] = len(coverages)
    counts["community workers"] = len(workers)
    counts["grid staffings"] = len(staffings)
