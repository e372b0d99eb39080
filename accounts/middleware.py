"""Absolute session lifetime. The idle timeout is the cookie age, renewed on each request."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditAction
from .receivers import SESSION_STARTED_KEY
from .services import audit_record


class SessionLifetimeMiddleware:
    """Log a user out 12 hours after login, however active the session has been."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = int(timezone.now().timestamp())
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - int(started) > settings.SESSION_ABSOLUTE_SECONDS:
                audit_record(action=AuditAction.SESSION_EXPIRED, actor=user, request=request)
                logout(request)
                messages.info(request, _("登录已超过 12 小时，请重新登录。"))
        return self.get_response(request)
