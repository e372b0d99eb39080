from typing import Any

import pytest

from governance.models import Area, Resident
from tests.governance.factories import household, resident


@pytest.fixture
def elder(tree: dict[str, Area]) -> Resident:
    return resident(household(tree["building"]), name="王奶奶", tags=("living_alone",))


@pytest.fixture
def staff(make_user: Any) -> Any:
    return make_user("community_staff")
