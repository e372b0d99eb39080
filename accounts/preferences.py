"""适老化: the page text size a user reads at (standard / large / extra large).

Signed-in users keep their choice on their account, so it follows them to every phone and
computer; before signing in (the login page) it is kept in the session.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import AuditAction, TextSize, User
from .services import audit_record

SESSION_KEY = "text_size"


@transaction.atomic
def user_set_text_size(*, user: User, size: str, request: HttpRequest | None = None) -> None:
    """Any signed-in user may change their own text size (and only their own); the change is
    audited like every other write to an account."""
    if size not in TextSize.values:
        raise ValidationError({"size": _("请选择标准、大或特大字号。")})
    if user.text_size == size:
        return
    before = user.text_size
    user.text_size = size
    user.save(update_fields=["text_size"])
    audit_record(
        action=AuditAction.PREFERENCE,
        actor=user,
        request=request,
        target=user,
        detail={"text_size": [before, size]},
    )


@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    """The switch in the top bar posts here and comes back to the page it was pressed on."""
    size = request.POST.get("size", "")
    if request.user.is_authenticated:
        try:
            user_set_text_size(user=request.user, size=size, request=request)
        except ValidationError:
            return HttpResponse(_("请选择标准、大或特大字号。"), status=400)
    elif size in TextSize.values:
        request.session[SESSION_KEY] = size
    else:
        return HttpResponse(_("请选择标准、大或特大字号。"), status=400)
    return redirect(_next_url(request))


def _next_url(request: HttpRequest) -> Any:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")
