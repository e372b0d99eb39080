"""我的 API 令牌: a user lists their own tokens, makes a named one (its key shown on the answer
page only, never stored in the clear, in a message or in the session) and revokes any of them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, token_services
from .forms import ApiTokenForm

TEMPLATE = "accounts/api_tokens.html"


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    created = key = None
    if request.method == "POST" and form.is_valid():
        try:
            created, key = token_services.api_token_issue(
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                request=request,
            )
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            form = ApiTokenForm()
    tokens = selectors.api_token_list(actor=request.user)
    response = render(
        request, TEMPLATE, {"form": form, "tokens": tokens, "created": created, "key": key}
    )
    if key:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_list(actor=request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    token_services.api_token_revoke(actor=request.user, token=token, request=request)
    messages.success(
        request, _("令牌“%(name)s”已吊销，使用它的客户端将无法再访问。") % {"name": token.name}
    )
    return redirect("accounts:api_tokens")
