from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import User
from accounts.roles import Role
from cases.models import Case, Category, Tier
from cases.services import case_accept, case_dispatch
from governance.models import Area
from governance.units import Unit

from .factories import category, report


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def cat(db: Any) -> Category:
    return category()


@pytest.fixture
def grid_cat(db: Any) -> Category:
    return category(name="邻里纠纷", parent_name="矛盾纠纷", start_tier=Tier.GRID)


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    """One user of each role, on the first street and community; a sibling community's staff."""
    return {
        "grid": make_user(Role.GRID_WORKER),
        "community": make_user(Role.COMMUNITY_STAFF),
        "street": make_user(Role.STREET_STAFF),
        "admin": make_user(Role.DISTRICT_ADMIN),
        "leader": make_user(Role.DISTRICT_LEADER),
        "dept": make_user(Role.DEPARTMENT_LIAISON),
        "property": make_user(Role.PROPERTY_STAFF),
        "other_community": make_user(Role.COMMUNITY_STAFF, "other_community"),
        "other_street": make_user(Role.STREET_STAFF, "other_street"),
        "other_grid": make_user(Role.GRID_WORKER, "other_community"),
        "auditor": make_user(Role.AUDITOR),
    }


@pytest.fixture
def new_case(tree: dict[str, Area], people: dict[str, User], cat: Category) -> Callable[..., Case]:
    def make(where: str = "estate", **extra: Any) -> Case:
        reporter = people["grid"] if "other" not in where else people["other_grid"]
        return report(reporter, tree[where], cat, **extra)

    return make


@pytest.fixture
def dispatched(
    new_case: Callable[..., Case], people: dict[str, User], department: Any, tree: Any
) -> Case:
    """A case accepted by the community and dispatched to the department, with the community
    cooperating."""
    case = new_case()
    case_accept(actor=people["community"], case=case)
    return case_dispatch(
        actor=people["community"],
        case=case,
        lead=Unit(department=department),
        cooperating=[Unit(area=tree["community"])],
    )
