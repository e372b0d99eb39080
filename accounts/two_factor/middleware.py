"""The gate of the second factor: behind django-otp's ``OTPMiddleware`` (which tells whether a
session passed it), before every page."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .policies import requires_two_factor
from .selectors import has_device
from .services import VERIFIED_SESSION_KEY

#: What a session that has not passed the second factor may still reach: the two-factor pages,
#: signing out, the language and text-size switches, static files and the health check.
TWO_FACTOR_OPEN = (
    "/accounts/two-factor/",
    "/accounts/logout/",
    "/accounts/text-size/",
    "/i18n/",
    "/jsi18n/",
    "/static/",
    "/healthz",
)
#: The session remembers, once per login, whether an optional user has an authenticator.
HAS_DEVICE_SESSION_KEY = "portal_otp_has_device"


def two_factor_step(request: HttpRequest) -> str:
    """ "verify" (a code is due), "enrol" (a privileged user without an authenticator) or ""
    (nothing more is asked of this session)."""
    user: Any = request.user
    if not user.is_authenticated or user.is_verified():
        return ""
    required = requires_two_factor(user) or request.path.startswith("/admin/")
    if required:
        return "verify" if has_device(user) else "enrol"
    known = request.session.get(HAS_DEVICE_SESSION_KEY)
    if known is None:
        known = request.session[HAS_DEVICE_SESSION_KEY] = has_device(user)
    return "verify" if known else ""


class TwoFactorRequiredMiddleware:
    """A user with an authenticator gives its code after the password; a district admin,
    security admin or auditor (and anyone entering the back office) without one binds one
    first. Until then every page sends them there and the API answers 403. A session that
    had passed and whose authenticator was since reset is signed out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(TWO_FACTOR_OPEN):
            return self.get_response(request)
        if not user.is_verified() and request.session.get(VERIFIED_SESSION_KEY):
            logout(request)
            messages.info(request, _("您的双因素认证已被重置，请重新登录。"))
            return redirect("accounts:login")
        step = two_factor_step(request)
        if not step:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            detail = _("请先登录门户完成双因素认证。")
            return JsonResponse(
                {"code": "two_factor_required", "detail": detail, "fields": {}}, status=403
            )
        target = reverse(
            "accounts:two_factor_verify" if step == "verify" else "accounts:two_factor_enrol"
        )
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
