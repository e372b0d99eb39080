#!/usr/bin/env python
"""The community household ledger at district scale: its page and its API, timed.

Builds (once) a territory of about 15,000 nodes (1 district, 6 streets, 100 communities,
1,000 residential areas, 14,000 buildings) and 300,000 households in the database named by
DATABASE_URL (use a database of its own, e.g. ``portal_bench``: it is migrated and filled),
then times, through the Django test client, what a community worker of one community asks for:

* ``/governance/ledgers/households/``            the ledger page (first page, total count)
* ``/governance/ledgers/households/?within=<小区>`` the page cut to one residential area
* ``/api/v1/households/``                       the API list
* ``/api/v1/households/?within=<小区>``           the API cut to one residential area

and prints p50 / p95 in milliseconds, and the plan of the subtree count. Usage::

    DATABASE_URL=postgres://…/portal_bench .venv/bin/python bench/governance_ledger.py [--runs 50]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

STREETS, COMMUNITIES, ESTATES, BUILDINGS = 6, 100, 10, 14
HOUSEHOLDS = 300_000
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def step(number: int) -> str:
    """treebeard's 4-character path step for the ``number``-th child (1-based)."""
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(4, "0")


def ensure_database() -> None:
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"],
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()


def build() -> None:
    from django.core.management import call_command
    from django.db import connection

    from governance.models import Area, AreaLevel, Household

    call_command("migrate", verbosity=0)
    if Household.objects.count() >= HOUSEHOLDS and Area.objects.count() > 15_000:
        print("数据已存在，跳过构建。")
        return
    started = time.perf_counter()
    Household.objects.all().delete()
    Area.objects.all().delete()
    nodes: list[Area] = []

    def node(path: str, name: str, level: str, code: str, numchild: int) -> None:
        nodes.append(
            Area(
                path=path,
                depth=len(path) // 4,
                numchild=numchild,
                name=name,
                name_initials="",
                level=level,
                code=code,
            )
        )

    root = step(1)
    node(root, "基准区", AreaLevel.DISTRICT, "379900000000", STREETS)
    buildings: list[str] = []
    community_no = 0
    per_street = [
        COMMUNITIES // STREETS + (1 if i < COMMUNITIES % STREETS else 0) for i in range(STREETS)
    ]
    for s, count in enumerate(per_street, start=1):
        street = root + step(s)
        node(street, f"街道{s}", AreaLevel.STREET, f"3799{s:03d}00000", count)
        for c in range(1, count + 1):
            community_no += 1
            community = street + step(c)
            node(
                community,
                f"社区{community_no}",
                AreaLevel.COMMUNITY,
                f"B{community_no:05d}",
                ESTATES,
            )
            for e in range(1, ESTATES + 1):
                estate = community + step(e)
                node(
                    estate,
                    f"小区{community_no}-{e}",
                    AreaLevel.RESIDENTIAL_AREA,
                    f"B{community_no:05d}{e:03d}",
                    BUILDINGS,
                )
                for b in range(1, BUILDINGS + 1):
                    building = estate + step(b)
                    node(
                        building,
                        f"{b}号楼",
                        AreaLevel.BUILDING,
                        f"B{community_no:05d}{e:03d}{b:03d}",
                        0,
                    )
                    buildings.append(building)
    Area.objects.bulk_create(nodes, batch_size=5000)
    ids = dict(Area.objects.filter(level=AreaLevel.BUILDING).values_list("path", "id"))
    buffer = io.StringIO()
    now = "2026-01-01 00:00:00+08"
    per_building = HOUSEHOLDS // len(buildings) + 1
    written = 0
    for path in buildings:
        for n in range(per_building):
            if written == HOUSEHOLDS:
                break
            unit, room = n % 2 + 1, f"{n // 4 + 1}0{n % 4 + 1}"
            buffer.write(f"{ids[path]}\t{path}\t{unit}\t{room}\t户主{written}\t\tt\t{now}\t{now}\n")
            written += 1
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            "COPY governance_household (building_id, area_path, unit, room, head_name, note, "
            "is_active, created_at, updated_at) FROM STDIN",
            buffer,
        )
        cursor.execute("ANALYZE governance_household; ANALYZE governance_area;")
    print(
        f"构建完成: {Area.objects.count()} 个区域, {Household.objects.count()} 户, "
        f"{time.perf_counter() - started:.1f} 秒"
    )


def measure(runs: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import RoleGrant, User
    from accounts.roles import Role
    from governance.models import Area, AreaLevel, Household

    setup_test_environment()
    community = Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("path")[50]
    estate = Area.objects.filter(path__startswith=community.path, level=AreaLevel.RESIDENTIAL_AREA)[
        0
    ]
    user, _ = User.objects.get_or_create(username="bench_community_staff")
    RoleGrant.objects.get_or_create(user=user, role=Role.COMMUNITY_STAFF, area=community)
    client = Client()
    client.force_login(user)
    households = Household.objects.filter(area_path__startswith=community.path).count()
    print(
        f"{community.name}: {households} 户；{estate.name}: "
        f"{Household.objects.filter(area_path__startswith=estate.path).count()} 户"
    )
    scenarios = {
        "页面 住户台账": "/governance/ledgers/households/",
        "页面 住户台账 ?within=小区": f"/governance/ledgers/households/?within={estate.pk}",
        "API /households/": "/api/v1/households/",
        "API /households/?within=小区": f"/api/v1/households/?within={estate.pk}",
    }
    print(f"{'场景':<32}{'p50 ms':>10}{'p95 ms':>10}{'查询数':>8}")
    for label, url in scenarios.items():
        for _ in range(5):
            assert client.get(url).status_code == 200, url
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        from django.db import reset_queries
        from django.test.utils import CaptureQueriesContext

        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
        print(f"{label:<32}{statistics.median(timings):>10.1f}{p95:>10.1f}{len(queries):>8}")
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN ANALYZE SELECT count(*) FROM governance_household WHERE area_path LIKE %s",
            [community.path + "%"],
        )
        print("\n子树计数的执行计划:")
        for (line,) in cursor.fetchall():
            print("  " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit("DATABASE_URL 须指向一个专用于基准测试的数据库")
    ensure_database()
    import django

    django.setup()
    build()
    measure(args.runs)


if __name__ == "__main__":
    main()
