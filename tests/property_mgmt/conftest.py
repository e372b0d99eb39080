from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from . import factories


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    """The survey page's attempt counters live in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cats(db: Any) -> Any:
    return factories.categories()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> dict[str, Path]:
    """Public and private uploads in the test's own folders, served by Django (no proxy)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = ""
    return {"public": tmp_path / "media", "private": tmp_path / "private"}


@pytest.fixture
def worker(make_user: Any) -> Client:
    """华阳's community worker, signed in."""
    client = Client()
    client.force_login(make_user("community_staff"))
    return client
