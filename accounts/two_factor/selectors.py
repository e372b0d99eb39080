"""Reads of the second factor."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import User
from .policies import can_reset_two_factor


def has_device(user: Any) -> bool:
    """Has the user enrolled an authenticator (confirmed)? Then every login asks its code."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


def two_factor_user_list(*, actor: Any, q: str = "") -> QuerySet[User]:
    """The accounts that hold an authenticator, with when it was bound and last used and how
    many recovery codes are left: the security administrator's reset page (nobody else)."""
    if not can_reset_two_factor(actor):
        raise PermissionDenied
    devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True).order_by("-pk")
    users = User.objects.filter(totpdevice__confirmed=True).annotate(
        otp_enrolled_at=Subquery(devices.values("created_at")[:1]),
        otp_last_used_at=Subquery(devices.values("last_used_at")[:1]),
        otp_codes_left=Count(
            "staticdevice__token_set", filter=Q(staticdevice__confirmed=True), distinct=True
        ),
    )
    q = (q or "").strip()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    return users.distinct().order_by("username")
