from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Vouchers go to a temporary directory (the storage follows MEDIA_ROOT)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _no_static_manifest(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
