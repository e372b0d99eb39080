"""Helpers for the second factor in tests: a verified session, and the code an authenticator
app would show."""

from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RoleGrant
from accounts.two_factor.policies import TWO_FACTOR_ROLES


def asked_for_second_factor(user: Any) -> bool:
    """Would the portal ask ``user`` for a code? (Read from the database, not from a scope
    cached on the object, which the test may still change.)"""
    return bool(
        user.is_superuser
        or user.is_staff
        or RoleGrant.objects.filter(user_id=user.pk, role__in=TWO_FACTOR_ROLES).exists()
        or TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
    )


def verify_session(session: Any, user: Any) -> None:
    """Mark ``session`` as having passed the second factor with the user's authenticator (one
    is bound for the test if the user has none)."""
    if not asked_for_second_factor(user):
        return
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user_id=user.pk, name="test", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id


def code_for(device_or_key: TOTPDevice | bytes, drift: int = 0) -> str:
    """The six digits the authenticator shows now (``drift`` steps of 30 s later)."""
    key = device_or_key.bin_key if isinstance(device_or_key, TOTPDevice) else device_or_key
    return f"{totp(key, step=30, t0=0, digits=6, drift=drift):06d}"
