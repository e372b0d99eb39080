from typing import Any

import pytest

from governance.models import Area, AreaLevel
from tests.governance.factories import area


@pytest.fixture
def second_building(tree: dict[str, Area]) -> Area:
    return area(tree["estate"], AreaLevel.BUILDING, "2号楼")


@pytest.fixture
def other_building(tree: dict[str, Area]) -> Area:
    return area(tree["other_estate"], AreaLevel.BUILDING, "乙1号楼")


@pytest.fixture(autouse=True)
def _no_static_manifest(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
