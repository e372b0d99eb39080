"""The back office for API credentials: every user's tokens (the security administrator revokes
them) and the Open311 clients (the security administrator registers them and their keys). A key
is shown once, on the page that answers its registration or rotation, and never again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import token_services
from .admin_base import PortalAdmin
from .admin_forms import AreaPathChoiceField
from .models import ApiToken, Open311Client
from .roles import Role

Area: Any = Open311Client._meta.get_field("areas").related_model


class AreaPathMultipleChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = AreaPathChoiceField.label_from_instance

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._names: dict[str, str] | None = None


class ServiceCodesField(forms.CharField):
    """Service codes typed one after another (commas, spaces or 、 between them)."""

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = str(value or "").replace("、", ",").replace("，", ",")
        return sorted({part.strip() for part in text.replace(" ", ",").split(",") if part.strip()})


class Open311ClientForm(forms.ModelForm):
    areas = AreaPathMultipleChoiceField(
        queryset=Area.objects.exclude(level="building").filter(is_active=True).order_by("path"),
        required=False,
        label=_("限定区域"),
        help_text=_("只能在这些区域（含下级）上报和查询；不选则不另加限制。"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    service_codes = ServiceCodesField(
        required=False,
        label=_("限定服务代码"),
        help_text=_("小类代码或大类代码，以逗号分隔；留空则不另加限制。"),
    )

    class Meta:
        model = Open311Client
        fields = ["name", "account", "areas", "service_codes", "is_active"]


@admin.register(Open311Client)
class Open311ClientAdmin(PortalAdmin):
    view_roles = frozenset({Role.DISTRICT_ADMIN})
    change_roles = frozenset({Role.SECURITY_ADMIN})
    form = Open311ClientForm
    list_display = ["name", "account", "prefix", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix", "account__username"]
    list_select_related = ["account"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at"]
    autocomplete_fields = ["account"]
    actions = ["rotate_key", "disable"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switched off, never deleted: the audit log and the cases name it

    def save_model(self, request: HttpRequest, obj: Open311Client, form: Any, change: bool) -> None:
        if change:
            token_services.open311_client_update(
                actor=request.user, client=obj, changed=list(form.changed_data), request=request
            )
        else:
            request._open311_key = token_services.open311_client_register(  # type: ignore[attr-defined]
                actor=request.user, client=obj, request=request
            )

    def response_add(self, request: HttpRequest, obj: Any, post_url_continue: Any = None) -> Any:
        return self._key_page(request, obj, getattr(request, "_open311_key", ""))

    def _key_page(self, request: HttpRequest, client: Open311Client, key: str) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Open311 客户端密钥"),
            "client": client,
            "key": key,
        }
        return TemplateResponse(request, "admin/accounts/open311client/key.html", context)

    @admin.action(description=_("更换所选客户端的密钥"), permissions=["change"])
    def rotate_key(self, request: HttpRequest, queryset: QuerySet[Open311Client]) -> Any:
        if queryset.count() != 1:
            self.message_user(request, _("每次只能更换一个客户端的密钥。"), messages.WARNING)
            return None
        client = queryset.get()
        key = token_services.open311_key_rotate(actor=request.user, client=client, request=request)
        client.refresh_from_db()
        return self._key_page(request, client, key)

    @admin.action(description=_("停用所选客户端"), permissions=["change"])
    def disable(self, request: HttpRequest, queryset: QuerySet[Open311Client]) -> None:
        for client in queryset:
            token_services.open311_client_disable(
                actor=request.user, client=client, request=request
            )
        self.message_user(request, _("已停用，其密钥即刻失效。"), messages.SUCCESS)


class TokenStateFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [("live", _("有效")), ("revoked", _("已吊销")), ("expired", _("已过期"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "live":
            return queryset.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=timezone.now())
        return queryset


TOKEN_COLUMNS = (
    "user",
    "name",
    "prefix",
    "created_at",
    "expires_at",
    "last_used_at",
    "last_used_ip",
    "revoked_at",
)


@admin.register(ApiToken)
class ApiTokenAdmin(PortalAdmin):
    """Every user's tokens, for the security administrator to find and revoke (a lost phone, a
    leaked script). Tokens are made by their owners; nobody edits one."""

    view_roles = frozenset({Role.SECURITY_ADMIN})
    change_roles = frozenset({Role.SECURITY_ADMIN})
    list_display = TOKEN_COLUMNS
    list_filter = [TokenStateFilter]
    search_fields = ["user__username", "user__full_name", "name", "prefix"]
    list_select_related = ["user"]
    actions = ["revoke"]
    fields = (*TOKEN_COLUMNS, "revoked_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*TOKEN_COLUMNS, "revoked_by"]

    @admin.action(description=_("吊销所选令牌"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            token_services.api_token_revoke(actor=request.user, token=token, request=request)
        self.message_user(request, _("所选令牌已吊销。"), messages.SUCCESS)
