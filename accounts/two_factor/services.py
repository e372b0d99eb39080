"""Every write of the second factor. Each writes its audit row in the same transaction.

A wrong code is refused with a ``ValidationError`` on the ``code`` field, raised only after the
transaction that recorded the failure (django-otp's throttle counter and the audit row) has
committed: a refusal must not roll back the record of the attempt.
"""

from __future__ import annotations

import re
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import AuditAction, AuditOutcome, User
from ..services import audit_record
from .policies import can_reset_two_factor

#: How many one-time recovery codes an enrolment gives.
RECOVERY_CODE_COUNT = 10
#: The names of the two devices a user holds (the authenticator app, the recovery codes).
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"
#: The session remembers that it passed the second factor, so that a session whose device is
#: reset afterwards is ended rather than left half-signed-in (see the middleware).
VERIFIED_SESSION_KEY = "portal_otp_verified"
TOTP_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class _Attempt:
    device: Device | None
    refusal: str = ""


def secret_of(device: TOTPDevice) -> str:
    """The device's key as the base32 text an authenticator app takes by hand."""
    return b32encode(device.bin_key).decode()


def _normalised(code: str) -> str:
    return "".join((code or "").split()).lower().replace("-", "")


def _throttled(device: Device) -> str:
    """The refusal while django-otp's throttle (1, 2, 4, 8 … s after successive failures) holds
    the device, or "" when it may verify."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return ""
    locked_until = (data or {}).get("locked_until")
    seconds = int((locked_until - timezone.now()).total_seconds()) + 1 if locked_until else 1
    return _("验证码错误次数过多，请 %(n)d 秒后再试。") % {"n": max(seconds, 1)}


def _mark_verified(request: HttpRequest, user: User, device: Device) -> None:
    otp_login(request, device)
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.session[VERIFIED_SESSION_KEY] = True


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes: only the new ones work from now on."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The not yet confirmed authenticator of an enrolment: the same secret on every visit of
    the enrolment page until a code confirms it (the user may have scanned it already)."""
    with transaction.atomic():
        pending = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if pending is None:
            pending = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
        return pending


def totp_enrol_confirm(*, user: User, code: str, request: HttpRequest) -> list[str]:
    """Confirm the pending authenticator with a code it shows now: it replaces any earlier
    one, the session counts as verified, and ten new recovery codes are returned to be shown
    once (only their use is stored; nobody can read them again)."""
    codes: list[str] = []
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise ValidationError({"code": _("请重新打开绑定页面扫描二维码。")})
        attempt = _attempt(device, code)
        if attempt.device is None:
            audit_record(
                action=AuditAction.TWO_FACTOR_FAILED,
                outcome=AuditOutcome.DENIED if attempt.refusal else AuditOutcome.FAILURE,
                actor=user,
                request=request,
                target=user,
                detail={"step": "enrol", "throttled": bool(attempt.refusal)},
            )
        else:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
            _mark_verified(request, user, device)
            audit_record(
                action=AuditAction.TWO_FACTOR_ENROLLED,
                actor=user,
                request=request,
                target=user,
                detail={"recovery_codes": len(codes)},
            )
    if attempt.device is None:
        raise ValidationError(
            {"code": attempt.refusal or _("验证码不正确，请查看验证器中的最新数字。")}
        )
    return codes


def _attempt(device: Device, code: str) -> _Attempt:
    refusal = _throttled(device)
    if refusal:
        return _Attempt(None, refusal)
    if device.verify_token(code):
        return _Attempt(device)
    return _Attempt(None)


def two_factor_verify(
    *, user: User, code: str, request: HttpRequest, session: bool = True
) -> Device:
    """The second step of a login: six digits from the authenticator, or one of the recovery
    codes (each works once). A wrong code counts against django-otp's throttle of that device,
    so guesses slow down exponentially; every attempt is audited. ``session=False`` checks the
    code without marking a browser session (the API's token exchange)."""
    code = _normalised(code)
    recovery = not TOTP_CODE.match(code)
    model: type[Device] = StaticDevice if recovery else TOTPDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        attempt = _attempt(device, code) if device is not None else _Attempt(None)
        if attempt.device is not None:
            if session:
                _mark_verified(request, user, attempt.device)
            detail: dict[str, Any] = {"device": "recovery" if recovery else "totp"}
            if recovery:
                detail["remaining"] = StaticToken.objects.filter(device=attempt.device).count()
            audit_record(
                action=AuditAction.RECOVERY_CODE_USED
                if recovery
                else AuditAction.TWO_FACTOR_VERIFIED,
                actor=user,
                request=request,
                target=user,
                detail=detail,
            )
        else:
            audit_record(
                action=AuditAction.TWO_FACTOR_FAILED,
                outcome=AuditOutcome.DENIED if attempt.refusal else AuditOutcome.FAILURE,
                actor=user,
                request=request,
                target=user,
                detail={
                    "step": "login" if session else "api_token",
                    "device": "recovery" if recovery else "totp",
                    "throttled": bool(attempt.refusal),
                },
            )
    if attempt.device is None:
        raise ValidationError(
            {
                "code": attempt.refusal
                or _("验证码不正确。可输入验证器中的 6 位数字，或一个恢复码。")
            }
        )
    return attempt.device


def recovery_codes_renew(*, user: Any, request: HttpRequest) -> list[str]:
    """New recovery codes for a verified session (the old ones stop working), shown once."""
    if not (user.is_authenticated and user.is_verified()):
        raise PermissionDenied
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_record(
            action=AuditAction.RECOVERY_CODES_RENEWED,
            actor=user,
            request=request,
            target=user,
            detail={"recovery_codes": len(codes)},
        )
    return codes


@transaction.atomic
def two_factor_reset(*, actor: Any, user: User, reason: str, request: HttpRequest) -> int:
    """A lost or replaced phone: the security administrator removes the user's authenticator
    and recovery codes. The user's sessions that passed the second factor end at their next
    request; a privileged user enrols again at the next login. The reason is required."""
    if not can_reset_two_factor(actor):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写重置原因。")})
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    StaticDevice.objects.filter(user=user).delete()
    audit_record(
        action=AuditAction.TWO_FACTOR_RESET,
        actor=actor,
        request=request,
        target=user,
        detail={"user": user.username, "reason": reason[:200], "devices": removed},
    )
    return removed
