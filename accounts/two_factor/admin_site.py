"""The back office's site: as Django's, but only for a session that passed the second factor
(django-otp's ``OTPAdminSite`` rule, with the portal's own login and two-factor pages)."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        verified = getattr(user, "is_verified", None)
        return super().has_permission(request) and callable(verified) and bool(verified())

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """A staff session that has not passed the second factor goes to pass it (or bind an
        authenticator); anyone else meets Django's own answer."""
        user: Any = request.user
        verified = getattr(user, "is_verified", None)
        if user.is_active and user.is_staff and callable(verified) and not verified():
            target = request.GET.get("next") or reverse("admin:index")
            return redirect(
                f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': target})}"
            )
        return super().login(request, extra_context)
