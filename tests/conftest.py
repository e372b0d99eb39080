"""Shared fixtures: a small district with two streets, and users holding each role."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import Role
from governance.models import Area, AreaLevel, Department, PropertyCompany
from tests.accounts.factories import user_with_role
from tests.governance.factories import area


@pytest.fixture
def tree(db: Any) -> dict[str, Area]:
    """区 → two streets → a community each → a residential area → a building."""
    district = area(None, AreaLevel.DISTRICT, "测试区")
    street = area(district, AreaLevel.STREET, "甲街道")
    community = area(street, AreaLevel.COMMUNITY, "甲社区")
    estate = area(community, AreaLevel.RESIDENTIAL_AREA, "甲小区")
    building = area(estate, AreaLevel.BUILDING, "1号楼")
    other_street = area(district, AreaLevel.STREET, "乙镇")
    other_community = area(other_street, AreaLevel.COMMUNITY, "乙社区")
    other_estate = area(other_community, AreaLevel.RESIDENTIAL_AREA, "乙小区")
    return {
        "district": district,
        "street": street,
        "community": community,
        "estate": estate,
        "building": building,
        "other_street": other_street,
        "other_community": other_community,
        "other_estate": other_estate,
    }


@pytest.fixture
def department(db: Any) -> Department:
    return Department.objects.create(name="区住建局", code="T001")


@pytest.fixture
def company(db: Any) -> PropertyCompany:
    return PropertyCompany.objects.create(name="测试物业", credit_code="91370405TEST00001X")


@pytest.fixture
def make_user(
    tree: dict[str, Area], department: Department, company: PropertyCompany
) -> Callable[..., User]:
    """``make_user("community_staff")`` or ``make_user("community_staff", "other_community")``."""
    defaults: dict[str, str] = {
        Role.DISTRICT_ADMIN: "district",
        Role.DISTRICT_LEADER: "district",
        Role.SECURITY_ADMIN: "district",
        Role.AUDITOR: "district",
        Role.STREET_STAFF: "street",
        Role.COMMUNITY_STAFF: "community",
        Role.GRID_WORKER: "community",
    }

    def make(role: str, where: str | None = None, **extra: Any) -> User:
        if role == Role.DEPARTMENT_LIAISON:
            user = user_with_role(role, department=department)
        elif role == Role.PROPERTY_STAFF:
            user = user_with_role(role, company=company)
        else:
            user = user_with_role(role, area=tree[where or defaults[role]])
        for key, value in extra.items():
            setattr(user, key, value)
        if extra:
            user.save()
        return user

    return make


@pytest.fixture
def api_for() -> Callable[[User | None], APIClient]:
    def make(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture(scope="session")
def count_queries() -> Callable[..., int]:
    """``count_queries(client, url)``: the number of queries a GET of ``url`` makes, after
    checking that it answered 200 (a page that fails makes few queries and proves nothing).
    The one query counter of the suite: constant-query tests compare two of its counts.
    ``method="post"`` (with the client's keyword arguments, e.g. ``data``) counts a write.
    Session-scoped, so that a module's measuring fixture may use it too."""

    def count(
        client: Any, url: str, *, status: int = 200, method: str = "get", **request: Any
    ) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = getattr(client, method)(url, **request)
        assert response.status_code == status, (url, response.status_code)
        return len(captured)

    return count


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A transactional test (browser, race, backup) empties the database when it ends, and so
    the reference rows that migrations load (the work calendar, the appraisal weights) with it.
    Each transactional test restores them first: Django's serialized rollback."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


#: Rows that migrations load and a flush removes: (migration module, its loading function).
REFERENCE_DATA = [
    ("cases.migrations.0002_work_calendar_2025_2026", "load"),
    ("dashboards.migrations.0005_default_weights", "forward"),
]


def restore_reference_data() -> None:
    """Load the migrations' reference rows again after a ``flush`` (both functions are
    idempotent)."""
    from importlib import import_module

    from django.apps import apps as django_apps

    for module, function in REFERENCE_DATA:
        getattr(import_module(module), function)(django_apps, None)


@pytest.fixture(autouse=True)
def _reference_rows(request: pytest.FixtureRequest, _django_db_helper: Any) -> None:
    """Every test that uses the database starts with the migrations' reference rows, even after
    a transactional test or the accessibility module emptied it (a flush removes them)."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not uses_db:
        return
    from cases.models import WorkCalendarDay

    if not WorkCalendarDay.objects.exists():
        restore_reference_data()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "two_factor: signs in through the real second factor (no verified session is given)",
    )


def _verified_at_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """The suite's sign-ins (``force_login``, the login page, the browser) give a session that
    passed the second factor to whoever would be asked for it, as ``force_login`` skips the
    password: a test is about its page, not the login. Tests marked ``two_factor`` go through
    the real steps (tests/accounts/test_two_factor.py)."""
    from tests.accounts.two_factor import verify_session

    if getattr(request, "session", None) is not None:
        verify_session(request.session, user)


@pytest.fixture(autouse=True)
def _two_factor_at_sign_in(request: pytest.FixtureRequest) -> Any:
    if request.node.get_closest_marker("two_factor") is not None:
        yield
        return
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(_verified_at_sign_in, dispatch_uid="tests_two_factor_verified")
    yield
    user_logged_in.disconnect(dispatch_uid="tests_two_factor_verified")
