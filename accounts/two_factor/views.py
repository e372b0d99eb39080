"""The two-factor pages: bind an authenticator, give its code after the password, recovery
codes, and the security administrator's reset page."""

from collections.abc import Sequence
from operator import attrgetter
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.errors import form_errors, message_errors
from common.listpage import Column, ListPage

from ..models import User
from . import selectors, services
from .forms import CodeForm, ResetForm, UserSearchForm
from .policies import can_reset_two_factor, requires_two_factor


def _next(request: HttpRequest) -> str:
    """Where to go once the second factor is done: the page first asked for, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, request: HttpRequest) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': _next(request)})}"


def _qr_svg(url: str, title: str) -> SafeString:
    """The otpauth:// address as an SVG QR code drawn here (no outside service sees the key)."""
    svg = segno.make(url, error="m").svg_inline(scale=5, border=2, title=title)
    return mark_safe(svg)  # noqa: S308 (segno's own markup; the title is escaped by segno)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of a login for a user with an authenticator."""
    user: Any = request.user
    if user.is_verified():
        return redirect(_next(request))
    if not selectors.has_device(user):
        if requires_two_factor(user) or _next(request).startswith("/admin/"):
            return redirect(_with_next("accounts:two_factor_enrol", request))
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.two_factor_verify(user=user, code=form.cleaned_data["code"], request=request)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return redirect(_next(request))
    return render(
        request, "accounts/two_factor/verify.html", {"form": form, "next": _next(request)}
    )


@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Bind an authenticator app: scan the QR code (or type the key), confirm with a code; the
    recovery codes are shown once, on the answer to that confirmation. A user who already has
    one passes it first: a password alone never replaces a second factor."""
    user: Any = request.user
    if selectors.has_device(user) and not user.is_verified():
        return redirect(_with_next("accounts:two_factor_verify", request))
    form = CodeForm(request.POST or None, digits_only=True)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_enrol_confirm(
                user=user, code=form.cleaned_data["code"], request=request
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return _show_codes(request, codes, enrolled=True)
    device = services.totp_device_pending(user=user)
    secret = services.secret_of(device)
    context = {
        "form": form,
        "next": _next(request),
        "qr": _qr_svg(device.config_url, _("用验证器扫描此二维码")),
        "secret": secret,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": requires_two_factor(user),
        "rebinding": selectors.has_device(user),
    }
    return render(request, "accounts/two_factor/enrol.html", context)


def _show_codes(request: HttpRequest, codes: list[str], *, enrolled: bool) -> HttpResponse:
    response = render(
        request,
        "accounts/two_factor/recovery_codes.html",
        {"codes": codes, "next": _next(request), "enrolled": enrolled},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def two_factor_home(request: HttpRequest) -> HttpResponse:
    """The user's own second factor: bound or not, recovery codes left, renew them."""
    user: Any = request.user
    bound = selectors.has_device(user)
    context = {
        "bound": bound,
        "verified": user.is_verified(),
        "required": requires_two_factor(user),
        "codes_left": selectors.recovery_codes_left(user) if bound else 0,
    }
    return render(request, "accounts/two_factor/home.html", context)


@login_required
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    codes = services.recovery_codes_renew(user=request.user, request=request)
    return _show_codes(request, codes, enrolled=False)


def _reset_button(csrf_token: str) -> Any:
    def button(user: User) -> SafeString:
        return format_html(
            '<form method="post" action="{}" class="inline-form">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="user" value="{}">'
            '<label class="visually-hidden" for="reason-{}">{}</label>'
            '<input type="text" name="reason" id="reason-{}" required maxlength="200" '
            'placeholder="{}">'
            '<button class="button" type="submit" data-testid="reset-{}">{}</button></form>',
            reverse("accounts:two_factor_reset"),
            csrf_token,
            user.pk,
            user.pk,
            _("重置原因"),
            user.pk,
            _("原因，如：手机丢失"),
            user.username,
            _("重置"),
        )

    return button


class ResetListPage(ListPage):
    """The accounts that bound an authenticator; the security administrator resets one (a
    lost phone) with a reason, audited. The user binds a new one at the next login."""

    title = gettext_lazy("双因素认证")
    intro = gettext_lazy(
        "区级系统管理员、安全管理员、审计员须使用验证器登录。用户手机丢失或更换时，"
        "核实身份后在此重置，其下次登录时重新绑定。"
    )
    exportable = False
    per_page = 50
    form_class = UserSearchForm
    empty_text = gettext_lazy("没有绑定验证器的账号。")

    def allowed(self, user: Any) -> bool:
        return can_reset_two_factor(user)

    def get_rows(self) -> QuerySet[User]:
        return selectors.two_factor_user_list(
            actor=self.request.user, q=self.filters.get("q") or ""
        )

    def get_columns(self) -> Sequence[Column]:
        return (
            Column(gettext_lazy("用户名"), attrgetter("username")),
            Column(gettext_lazy("姓名"), attrgetter("full_name")),
            Column(
                gettext_lazy("绑定时间"), attrgetter("otp_enrolled_at"), date_format="Y-m-d H:i"
            ),
            Column(
                gettext_lazy("最近使用"), attrgetter("otp_last_used_at"), date_format="Y-m-d H:i"
            ),
            Column(gettext_lazy("剩余恢复码"), attrgetter("otp_codes_left")),
            Column(
                gettext_lazy("操作"),
                attrgetter("pk"),
                html=_reset_button(get_token(self.request)),
                hide_label=True,
            ),
        )


reset_list = ResetListPage.as_view()


@login_required
@require_POST
def two_factor_reset(request: HttpRequest) -> HttpResponse:
    if not can_reset_two_factor(request.user):
        raise PermissionDenied
    form = ResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写重置原因。"))
        return redirect("accounts:two_factor_resets")
    user = User.objects.filter(pk=form.cleaned_data["user"]).first()
    if user is None:
        raise Http404
    try:
        services.two_factor_reset(
            actor=request.user, user=user, reason=form.cleaned_data["reason"], request=request
        )
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(
            request,
            _("已重置“%(username)s”的双因素认证，其下次登录时须重新绑定验证器。")
            % {"username": user.username},
        )
    return redirect("accounts:two_factor_resets")
