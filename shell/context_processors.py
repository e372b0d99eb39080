from typing import Any

from django.conf import settings
from django.http import HttpRequest

from accounts.scoping import scope_of

from .navigation import nav_for


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {"portal_name": settings.PORTAL_NAME}
    if user is not None and user.is_authenticated:
        context["nav_items"] = nav_for(user, request.path)
        context["user_roles"] = sorted(scope_of(user).roles)
    return context
