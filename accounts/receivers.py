"""Login events from Django and django-axes, written to the audit log.

Auth signals are the only hook Django offers for these events; the receivers only record.
"""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from common.signals import access_denied

from .models import AuditAction, AuditOutcome
from .services import audit_denied, audit_record

SESSION_STARTED_KEY = "portal_auth_started_at"
#: When the session was last saved by activity, renewing its idle timeout (seconds since the
#: epoch): login saves it, then accounts.middleware.SessionLifetimeMiddleware once a minute.
SESSION_TOUCHED_KEY = "portal_touched_at"


@receiver(user_logged_in, dispatch_uid="portal_audit_login")
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(timezone.now().timestamp())
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_TOUCHED_KEY] = now
    audit_record(action=AuditAction.LOGIN, actor=user, request=request)


@receiver(user_logged_in, dispatch_uid="portal_two_factor_known")
def _remember_authenticator(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Whether the user has an authenticator, looked up once at sign-in rather than on the
    first page (accounts.two_factor.middleware reads it for users it does not require)."""
    from .two_factor.middleware import HAS_DEVICE_SESSION_KEY
    from .two_factor.selectors import has_device

    session = getattr(request, "session", None)
    if session is not None:
        session[HAS_DEVICE_SESSION_KEY] = has_device(user)


@receiver(user_login_failed, dispatch_uid="portal_audit_login_failed")
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        outcome=AuditOutcome.FAILURE,
        username=str(credentials.get("username", ""))[:150],
        request=request,
    )


@receiver(user_logged_out, dispatch_uid="portal_audit_logout")
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, request=request)


@receiver(user_locked_out, dispatch_uid="portal_audit_locked_out")
def _on_locked_out(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    audit_record(
        action=AuditAction.LOCKED_OUT,
        outcome=AuditOutcome.DENIED,
        username=(username or "")[:150],
        request=request,
    )


@receiver(access_denied, dispatch_uid="portal_audit_api_denied")
def _on_access_denied(sender: Any, request: Any, target: str, **kwargs: Any) -> None:
    audit_denied(request=request, target=target)
