from typing import Any

import pytest
from django.core.cache import cache

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
