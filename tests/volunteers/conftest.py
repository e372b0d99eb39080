from typing import Any

import pytest

from governance.models import Department

from . import factories


@pytest.fixture
def unit(department: Department) -> Department:
    """The department that the ``dept_liaison`` users of ``make_user`` belong to."""
    return department


@pytest.fixture
def other_unit(db: Any) -> Department:
    return factories.department("另一单位")
