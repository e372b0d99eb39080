from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.listpage import Column, ListPage, choice_column

from . import selectors, services
from .forms import AuditFilterForm, LoginForm, PasswordChangeForm, UnlockForm
from .models import AuditAction, AuditLog

AUDIT_EXPORT_LIMIT = 50_000
LOCKED_MESSAGE = gettext_lazy("该账号因连续登录失败已被锁定 30 分钟，请稍后再试或联系安全管理员。")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def _outcome(entry: AuditLog) -> SafeString:
    return format_html(
        '<span class="outcome outcome--{}">{}</span>', entry.outcome, entry.get_outcome_display()
    )


def _unlock_button(csrf_token: str) -> Callable[[Any], SafeString]:
    def button(attempt: Any) -> SafeString:
        return format_html(
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" '
            'value="{}"><input type="hidden" name="username" value="{}">'
            '<button class="button" type="submit">{}</button></form>',
            reverse("accounts:lockout_clear"),
            csrf_token,
            attempt.username,
            _("解除锁定"),
        )

    return button


class AuditLogPage(ListPage):
    """The audit log, for the auditor and the security administrator (the selector refuses
    anyone else); its export is itself audited."""

    title = gettext_lazy("审计日志")
    form_class = AuditFilterForm
    default_ordering = "-at"
    per_page = 50
    export_limit = AUDIT_EXPORT_LIMIT
    empty_text = gettext_lazy("没有符合条件的审计记录。")
    columns = (
        Column(gettext_lazy("时间"), attrgetter("at"), "-at", date_format="Y-m-d H:i:s"),
        Column(gettext_lazy("用户名"), attrgetter("username"), "username"),
        choice_column(gettext_lazy("操作"), AuditLog, "action"),
        Column(gettext_lazy("对象"), attrgetter("object_repr")),
        choice_column(gettext_lazy("结果"), AuditLog, "outcome", html=_outcome),
        Column(gettext_lazy("IP 地址"), attrgetter("ip")),
    )

    def get_filters(self, form: Any) -> dict[str, Any]:
        return form.selector_kwargs() if form.is_valid() else {}

    def get_rows(self) -> QuerySet[AuditLog]:
        return selectors.audit_log_list(
            actor=self.request.user, ordering=self.ordering, **self.filters
        )

    def exported(self, rows: Any) -> None:
        services.audit_record(
            action=AuditAction.EXPORT,
            actor=self.request.user,
            request=self.request,
            target="audit_log",
        )


audit_log = AuditLogPage.as_view()


class LockoutListPage(ListPage):
    """Usernames locked out now, each with the button that lifts the lock."""

    title = gettext_lazy("登录锁定")
    intro = gettext_lazy(
        "同一用户名连续 5 次登录失败即锁定 30 分钟，期满自动解除；确认是本人后可提前解锁。"
    )
    exportable = False
    per_page = 50
    empty_text = gettext_lazy("当前没有被锁定的账号。")

    def get_rows(self) -> QuerySet[Any]:
        return selectors.lockout_list(actor=self.request.user)

    def get_columns(self) -> Sequence[Column]:
        return (
            Column(gettext_lazy("用户名"), attrgetter("username")),
            Column(gettext_lazy("失败次数"), attrgetter("failures_since_start")),
            Column(gettext_lazy("最近一次"), attrgetter("attempt_time"), date_format="Y-m-d H:i:s"),
            Column(gettext_lazy("IP 地址"), attrgetter("ip_address")),
            Column(
                gettext_lazy("操作"),
                attrgetter("username"),
                html=_unlock_button(get_token(self.request)),
                hide_label=True,
            ),
        )


lockouts = LockoutListPage.as_view()


@login_required
@require_POST
def lockout_clear(request: HttpRequest) -> HttpResponse:
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要解锁的账号。"))
        return redirect("accounts:lockouts")
    username = form.cleaned_data["username"]
    services.lockout_clear(actor=request.user, username=username, request=request)
    messages.success(request, _("已解除账号“%(username)s”的登录锁定。") % {"username": username})
    return redirect("accounts:lockouts")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """The user's own password: forced at the first login after an administrator set or reset
    it (``accounts.middleware.PasswordChangeRequiredMiddleware`` sends them here)."""
    user: Any = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_password_change(
            user=user, password=form.cleaned_data["password1"], request=request
        )
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改。"))
        return redirect("home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": user.must_change_password},
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    services.audit_denied(request=request, target=request.path)
    return render(request, "403.html", status=403)


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this for a locked-out username: the login page with the reason, or
    the API's error body for an API client."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "locked", "detail": str(LOCKED_MESSAGE), "fields": {}}, status=429
        )
    form = LoginForm(request, data=None, initial={"username": (credentials or {}).get("username")})
    context = {"form": form, "locked": True, "locked_message": LOCKED_MESSAGE}
    return render(request, "accounts/login.html", context, status=429)
