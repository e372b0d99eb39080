from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.excel import xlsx_response
from common.listing import list_query

from . import selectors, services
from .forms import AuditFilterForm, LoginForm, UnlockForm
from .models import AuditAction

AUDIT_EXPORT_LIMIT = 50_000
LOCKED_MESSAGE = gettext_lazy("该账号因连续登录失败已被锁定 30 分钟，请稍后再试或联系安全管理员。")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.selector_kwargs() if form.is_valid() else {}
    ordering = request.GET.get("o", "-at")
    entries = selectors.audit_log_list(actor=request.user, ordering=ordering, **filters)
    if request.GET.get("export") == "xlsx":
        services.audit_record(
            action=AuditAction.EXPORT, actor=request.user, request=request, target="audit_log"
        )
        rows = (
            (e.at, e.username, e.get_action_display(), e.object_repr, e.get_outcome_display(), e.ip)
            for e in entries[:AUDIT_EXPORT_LIMIT].iterator()
        )
        return xlsx_response(
            filename=_("审计日志"),
            title=_("审计日志"),
            headers=[_("时间"), _("用户名"), _("操作"), _("对象"), _("结果"), _("IP 地址")],
            rows=rows,
        )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/audit_log.html",
        {
            "form": form,
            "page": page,
            "ordering": ordering,
            "query": list_query(request).urlencode(),
            "query_without_order": list_query(request, "o").urlencode(),
        },
    )


@login_required
def lockouts(request: HttpRequest) -> HttpResponse:
    attempts = selectors.lockout_list(actor=request.user)
    return render(request, "accounts/lockouts.html", {"attempts": attempts})


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
