"""Where spending vouchers are kept: in ``PRIVATE_MEDIA_ROOT``, never under the public media
URL, read only through ``supports.views`` after the scope check. The storage is the project's
one private storage (common.models); this name stays because the migrations refer to it."""

from __future__ import annotations

from django.utils.deconstruct import deconstructible

from common.models import PrivateStorage as CommonPrivateStorage


@deconstructible(path="supports.storage.PrivateStorage")
class PrivateStorage(CommonPrivateStorage):
    pass


voucher_storage = PrivateStorage()
