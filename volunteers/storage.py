"""Where project evidence, activity photos and wish photos are kept: in the project's private
folder (``PRIVATE_MEDIA_ROOT``, under ``volunteers/``), so no URL reaches a file except the
app's scoped views and a backup holds them with the other private files. The callable's name
stays because the migrations refer to it."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage

from common.models import PrivateStorage

FOLDER = "volunteers"


class VolunteerStorage(PrivateStorage):
    @property
    def base_location(self) -> str:
        return str(Path(settings.PRIVATE_MEDIA_ROOT) / FOLDER)


def private_storage() -> Storage:
    return VolunteerStorage()
