"""Residents' personal data: ID numbers and phones encrypted at rest, masked by default.

* :class:`EncryptedCharField` stores a Fernet token (AES-128-CBC + HMAC) made with the key in
  ``PERSONAL_DATA_KEY``; the ORM hands out the plain value. Encryption is randomised, so equal
  values do not look equal in the database.
* :func:`blind_index` is a keyed HMAC-SHA256 of the normalised value, stored beside it
  (e.g. ``id_number_hash``) so an exact lookup by ID number or phone still works.
* :func:`mask_id_number` / :func:`mask_phone` give ``3704**********1234`` / ``138****5678``.
  Pages, API responses, exports and admin lists show the masked form unless the viewer holds
  the ``accounts.unmask_personal_data`` permission (:func:`can_unmask`); each unmasked view is
  written to the audit log by :func:`accounts.services.audit_unmask`.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

UNMASK_PERMISSION = "accounts.unmask_personal_data"


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = [key.strip() for key in settings.PERSONAL_DATA_KEYS if key.strip()]
    if not keys:
        raise ImproperlyConfigured("PERSONAL_DATA_KEY 未设置 (the personal data key is required)")
    # The first key encrypts; all of them decrypt, so keys can be rotated.
    return MultiFernet([Fernet(key.encode()) for key in keys])


@lru_cache(maxsize=1)
def _hash_key() -> bytes:
    return hashlib.sha256(b"blind-index:" + settings.PERSONAL_DATA_KEYS[0].encode()).digest()


def normalise(value: str) -> str:
    return "".join(value.split()).upper()


def blind_index(value: str | None) -> str:
    """A keyed hash for exact lookups; empty for an empty value."""
    if not value:
        return ""
    return hmac.new(_hash_key(), normalise(value).encode(), hashlib.sha256).hexdigest()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("personal data could not be decrypted with the configured keys") from exc


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def can_unmask(actor: Any) -> bool:
    """Plain values only for holders of the unmask permission, granted person by person."""
    return bool(actor is not None and actor.is_active and actor.has_perm(UNMASK_PERMISSION))


class EncryptedCharField(models.TextField):
    """A text value encrypted at rest. Not searchable: pair it with a blind-index column."""

    description = "Encrypted text"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if prepared:
            return value
        return self.get_prep_value(value)


def wants_unmask(request: Any) -> bool:
    """The viewer asked for plain values (``?unmask=1``) and holds the permission. Plain
    values are shown only on request, so that every plain view is a deliberate, audited act."""
    if request is None:
        return False
    params = getattr(request, "query_params", None) or request.GET
    return params.get("unmask") == "1" and can_unmask(request.user)


def show_id_number(value: str | None, unmask: bool) -> str:
    return (value or "") if unmask else mask_id_number(value)


def show_phone(value: str | None, unmask: bool) -> str:
    return (value or "") if unmask else mask_phone(value)
