from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Notification
from .policies import can_use_cases


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The bell's unread count, counted only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not can_use_cases(user):
        return {}
    return {
        "case_bell": True,
        "case_unread_count": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user, read_at=None).count()
        ),
    }
