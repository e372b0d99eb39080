"""Where spending vouchers are kept: beside the media root, never under its public URL.

``MEDIA_ROOT`` is served at ``MEDIA_URL`` in development (and by the web server in
production); a voucher there would be readable by anyone who guessed its name. Vouchers go to
``PRIVATE_MEDIA_ROOT`` (default: a ``private`` directory next to ``MEDIA_ROOT``) and are read
only through ``supports.views`` after the scope check.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="supports.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """A file system storage with no URL; its location follows the settings (tests move
    ``MEDIA_ROOT`` and the cached location is dropped, as Django does for its own storage)."""

    @cached_property
    def base_location(self) -> Any:
        configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
        if configured:
            return configured
        return os.path.join(os.path.dirname(os.path.abspath(settings.MEDIA_ROOT)), "private")

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no public URL")


voucher_storage = PrivateStorage()
