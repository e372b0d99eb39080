"""Where project evidence is kept: beside the public media folder, not under it, so no URL
reaches a file except the project's scoped view."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    media = Path(settings.MEDIA_ROOT)
    return FileSystemStorage(location=media.parent / f"{media.name}-private" / "volunteers")
