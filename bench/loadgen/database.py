"""What the command may wipe, the marker of a load, the benchmark accounts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection

from accounts.models import AuditAction, RoleGrant, User
from accounts.roles import Role
from accounts.services import audit_record
from bench.models import LoadMarker
from cases.models import Case, Category
from governance.models import Area, AreaLevel, Department, Household, PropertyCompany, Resident
from grids.models import Grid

from .plan import PASSWORD, LoadError

LOADED_APPS = ("governance", "grids", "cases", "volunteers", "property_mgmt", "bench")
#: Kept across loads: the holiday calendar comes with a migration; the salary table is entered
#: by admins and is not part of the load.
KEPT_MODELS = {"cases.workcalendarday", "grids.salaryscale"}
#: Any row in these, without a marker, is data this command did not load.
FOREIGN_CHECK = (Area, Household, Case, Grid, Department, PropertyCompany, Category)


def loaded_tables() -> list[str]:
    tables: list[str] = []
    for label in LOADED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label_lower not in KEPT_MODELS and model._meta.managed:
                tables.append(model._meta.db_table)
    tables += [
        User._meta.db_table,
        RoleGrant._meta.db_table,
        apps.get_model("accounts", "AuditLog")._meta.db_table,
        "authtoken_token",
        "django_session",
    ]
    return sorted(set(tables))


def current_marker() -> LoadMarker | None:
    return LoadMarker.objects.order_by("-started_at", "-id").first()


def foreign_data(marker: LoadMarker | None) -> list[str]:
    """What in this database was not written by ``generate_load``."""
    found = [
        str(model._meta.label)
        for model in FOREIGN_CHECK
        if marker is None and model._default_manager.exists()
    ]
    others = User.objects.exclude(username__startswith="load_")
    if others.exists():
        names = ", ".join(others.order_by("username").values_list("username", flat=True)[:5])
        found.append(f"accounts.User ({names})")
    return found


def personal_data_readable() -> bool:
    """Whether this process's ``PERSONAL_DATA_KEY`` decrypts the loaded personal data: the
    benchmark serves the load with the settings that loaded it (``config.settings.bench``)."""
    try:
        Resident.objects.exclude(id_number="").values_list("id_number", flat=True).first()
    except ValueError:
        return False
    return True


def wipe() -> None:
    tables = ", ".join(f'"{t}"' for t in loaded_tables())
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def reset_sequences(tables: Iterable[str]) -> None:
    """Move each id sequence past the largest id, so the ORM inserts after the loaded rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, pg_get_serial_sequence(quote_ident(table_name), 'id') "
            "FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND column_name = 'id' AND table_name = ANY(%s) ORDER BY table_name",
            [list(tables)],
        )
        for table, sequence in cursor.fetchall():
            if sequence is None:
                continue
            cursor.execute(
                f'SELECT setval(%s, COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)',
                [sequence],
            )


@dataclass
class BenchUsers:
    district_admin: User
    district_leader: User
    street_staff: User
    community_staff: User
    grid_worker: User
    department_liaison: User


BENCH_USERNAMES = {
    "district_admin": ("load_district_admin", "区管理员（压测）", Role.DISTRICT_ADMIN),
    "district_leader": ("load_district_leader", "区领导（压测）", Role.DISTRICT_LEADER),
    "street_staff": ("load_street_staff", "街道工作人员（压测）", Role.STREET_STAFF),
    "community_staff": ("load_community_staff", "社区工作人员（压测）", Role.COMMUNITY_STAFF),
    "grid_worker": ("load_grid_worker", "网格员（压测）", Role.GRID_WORKER),
    "department_liaison": (
        "load_department_liaison",
        "部门联络员（压测）",
        Role.DEPARTMENT_LIAISON,
    ),
}


def ensure_bench_users() -> BenchUsers:
    """The benchmark accounts and their one grant each, created when missing (idempotent):
    the district's admin (back office) and leader, the first street's staff, the first
    community's staff and grid worker, the first department's liaison."""
    district = Area.objects.filter(depth=1).order_by("path").first()
    if district is None:
        raise LoadError("no district loaded")
    street = Area.objects.filter(depth=2, path__startswith=district.path).order_by("path").first()
    community = (
        Area.objects.filter(level=AreaLevel.COMMUNITY, path__startswith=district.path)
        .order_by("path")
        .first()
    )
    department = Department.objects.order_by("code").first()
    if street is None or community is None or department is None:
        raise LoadError("the load has no street, community or department")
    scopes: dict[str, dict[str, Any]] = {
        "district_admin": {"area": district},
        "district_leader": {"area": district},
        "street_staff": {"area": street},
        "community_staff": {"area": community},
        "grid_worker": {"area": community},
        "department_liaison": {"department": department},
    }
    users: dict[str, User] = {}
    for key, (username, full_name, role) in BENCH_USERNAMES.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, is_staff=key == "district_admin")
            user.set_password(PASSWORD)
            user.save()
            audit_record(action=AuditAction.CREATE, username="system", target=user)
        RoleGrant.objects.get_or_create(user=user, role=role, **scopes[key])
        users[key] = user
    return BenchUsers(**users)
