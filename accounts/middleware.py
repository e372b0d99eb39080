"""Session lifetime: the absolute limit after login, and the renewal of the idle timeout (the
session's age, renewed by a save at most once a minute)."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditAction
from .receivers import SESSION_STARTED_KEY, SESSION_TOUCHED_KEY
from .services import audit_record


class SessionLifetimeMiddleware:
    """Log a user out 12 hours after login, however active the session has been; and renew the
    idle timeout of an active one by saving it when its last save is ``SESSION_TOUCH_SECONDS``
    old (a write per user a minute instead of one per request)."""

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
            touched = request.session.get(SESSION_TOUCHED_KEY)
            if touched is None or now - int(touched) >= settings.SESSION_TOUCH_SECONDS:
                request.session[SESSION_TOUCHED_KEY] = now  # saved by SessionMiddleware
        return self.get_response(request)


#: What a user who must change their password may still reach: the change page itself, signing
#: out, the second factor (which comes first), the language and text-size switches, and static
#: files.
PASSWORD_CHANGE_OPEN = (
    "/accounts/password/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/i18n/",
    "/static/",
)


class PasswordChangeRequiredMiddleware:
    """A password set by an administrator opens only the first login: until the user sets their
    own, every page sends them to the change page and the API answers 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(PASSWORD_CHANGE_OPEN)
            and request.path != reverse("accounts:text_size")
        ):
            if request.path.startswith("/api/"):
                detail = _("请先登录门户修改初始密码。")
                return JsonResponse(
                    {"code": "password_change_required", "detail": detail, "fields": {}},
                    status=403,
                )
            messages.info(request, _("首次登录或密码被重置后，请先设置您自己的密码。"))
            return redirect("accounts:password_change")
        return self.get_response(request)
