from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from . import admin_tokens, services  # noqa: F401 (admin_tokens registers its admins)
from .admin_base import PortalAdmin
from .admin_forms import (
    AreaPathChoiceField,
    GrantInlineForm,
    GrantInlineFormSet,
    PasswordResetForm,
    UnmaskPermissionForm,
    UserChangeForm,
    UserCreateForm,
    grant_areas,
)
from .models import AuditLog, RoleGrant, User
from .personal_data import can_unmask, mask_phone
from .policies import (
    can_grant_roles,
    can_grant_unmask,
    can_manage_user,
    can_manage_users,
    may_receive_unmask,
    street_paths,
)
from .roles import Role
from .scoping import any_of, scope_of


def _bound(form_class: Any, actor: Any) -> Any:
    """A form class that knows who fills it in (a new class per request: nothing shared)."""
    return type(form_class.__name__, (form_class,), {"actor": actor})


def users_for(actor: Any) -> QuerySet[User]:
    """The accounts the actor keeps: everyone for the district admin and the security admin
    (who reads them); a street office (when allowed) the holders of grants in its street."""
    users = User.objects.all()
    scope = scope_of(actor)
    if scope.superuser or scope.has_role(Role.DISTRICT_ADMIN, Role.SECURITY_ADMIN):
        return users
    paths = street_paths(actor)
    if not paths:
        return users.none()
    inside = RoleGrant.objects.filter(any_of(Q(area__path__startswith=p) for p in paths))
    return users.filter(pk__in=inside.values("user_id"))


class RoleFilter(admin.SimpleListFilter):
    title = _("角色")
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return Role.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.value():
            return queryset
        field = "pk" if queryset.model is User else "user_id"
        holders = RoleGrant.objects.filter(role=self.value()).values("user_id")
        return queryset.filter(**{f"{field}__in": holders})


class ScopeFilter(admin.SimpleListFilter):
    """By street or community: the users holding a grant on it or anywhere below it."""

    title = _("范围")
    parameter_name = "scope"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        areas = grant_areas(request.user)
        field = AreaPathChoiceField(queryset=areas)
        return [(str(a.pk), field.label_from_instance(a)) for a in areas]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        area = grant_areas(request.user).filter(pk=int(value)).first()
        if area is None:
            return queryset.none()
        field = "pk" if queryset.model is User else "user_id"
        holders = RoleGrant.objects.filter(area__path__startswith=area.path).values("user_id")
        return queryset.filter(**{f"{field}__in": holders})


class RoleGrantInline(admin.TabularInline):
    """The user's grants on their page: add a row, change a row, or tick 删除 to end it; a
    change or an end needs its reason. Every row goes through the grant services (audited)."""

    model = RoleGrant
    fk_name = "user"
    extra = 1
    form = GrantInlineForm
    formset = GrantInlineFormSet
    fields = ["role", "area", "department", "company", "reason", "granted_by", "created_at"]
    readonly_fields = ["granted_by", "created_at"]
    verbose_name = _("角色授权")
    verbose_name_plural = _("角色授权（增加一行即授权；修改或勾选删除即变更/结束，须填原因）")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _bound(formset.form, request.user)
        return formset

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if can_grant_roles(request.user):
            return self.fields
        return [f for f in self.fields if f not in ("department", "company")]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_manage_users(request.user) or scope_of(request.user).has_role(
            Role.SECURITY_ADMIN
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and can_manage_user(request.user, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and can_manage_user(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and can_manage_user(request.user, obj)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """用户与授权: the district admin (and a street office for its communities' workers, when the
    district allows) creates an account with its first grant in one form, changes grants with a
    reason, deactivates accounts and resets passwords; the security admin reads, and grants or
    revokes the unmask permission (查看明文) with a reason. Accounts are never deleted: the audit
    log refers to them."""

    form = UserChangeForm
    add_form = UserCreateForm
    change_password_form = PasswordResetForm
    list_display = ["username", "full_name", "masked_phone", "grant_summary", "is_active",
                    "must_change_password", "last_login"]  # fmt: skip
    list_filter = [RoleFilter, ScopeFilter, "is_active", "is_staff"]
    search_fields = ["username", "full_name"]
    ordering = ["username"]
    inlines = [RoleGrantInline]
    actions = ["deactivate", "activate"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "phone", "email")}),
        (_("状态"), {"fields": ("is_active", "must_change_password", "is_staff", "last_login",
                              "date_joined")}),
        (_("个人信息明文"), {"fields": ("unmask_status",)}),
    )  # fmt: skip
    add_fieldsets = (
        (_("账号"), {"classes": ("wide",), "fields": ("username", "full_name", "phone")}),
        (_("角色与范围"), {"fields": ("role", "area", "department", "company", "is_staff")}),
        (_("初始密码"), {"fields": ("password1", "password2")}),
    )
    readonly_fields = ["username", "must_change_password", "last_login", "date_joined",
                       "unmask_status", "masked_phone"]  # fmt: skip

    # --- who may -------------------------------------------------------------------------

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return can_manage_users(user) or scope_of(user).has_role(Role.SECURITY_ADMIN)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_staff) and can_manage_users(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not (request.user.is_staff and can_manage_users(request.user)):
            return False
        return obj is None or can_manage_user(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # --- what is shown -------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        grants = RoleGrant.objects.select_related("area", "department", "company")
        return users_for(request.user).prefetch_related(Prefetch("grants", queryset=grants))

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        return _bound(super().get_form(request, obj, change=change, **kwargs), request.user)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # A reader (the security admin) sees the account's phone masked, as on the list.
            fieldsets = [
                (name, {**opts, "fields": [_masked(f) for f in opts["fields"]]})
                for name, opts in fieldsets
            ]
        if can_grant_roles(request.user):
            return fieldsets
        hidden = {"department", "company", "is_staff"}
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return []
        return self.readonly_fields

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.inlines if obj is not None else []

    def get_list_filter(self, request: HttpRequest) -> Any:
        if can_grant_roles(request.user) or scope_of(request.user).has_role(Role.SECURITY_ADMIN):
            return [*self.list_filter, "grants__department", "grants__company"]
        return self.list_filter

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("手机号"))
    def masked_phone(self, obj: User) -> str:
        return mask_phone(obj.phone)

    @admin.display(description=_("查看明文"))
    def unmask_status(self, obj: User) -> str:
        held = _holds_unmask(obj)
        if can_unmask(obj):
            if held:
                return str(_("可以查看居民身份证号、手机号明文（每次查看记入审计日志）"))
            return str(_("可以查看明文（超级用户或用户组授予，此处不能撤销）"))
        if held:
            return str(_("已授予，但账号已停用"))
        return str(_("不能查看明文"))

    @admin.display(description=_("角色与范围"))
    def grant_summary(self, obj: User) -> Any:
        grants = list(obj.grants.all())
        if not grants:
            return _("未授权")
        return format_html_join(
            "", "<div>{} · {}</div>", ((g.get_role_display(), g.scope_label) for g in grants)
        )

    # --- writes, each through a service --------------------------------------------------

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            created = services.user_register(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                phone=data.get("phone") or "",
                password=data["password1"],
                role=data["role"],
                area=data.get("area"),
                department=data.get("department"),
                company=data.get("company"),
                is_staff=bool(data.get("is_staff")),
                request=request,
            )
            obj.pk = created.pk
            obj._state.adding = False
            return
        services.user_update(
            actor=request.user, user=obj, changes=form.account_changes(), request=request
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        user = form.instance
        # What the admin's own history message lists (Django reads these after saving).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for grant_form in formset.forms:
            if not hasattr(grant_form, "cleaned_data") or not grant_form.cleaned_data:
                continue
            grant = grant_form.instance
            reason = grant_form.cleaned_data.get("reason") or ""
            if formset.can_delete and formset._should_delete_form(grant_form):
                if grant.pk:
                    services.role_grant_end(
                        actor=request.user, grant=grant, reason=reason, request=request
                    )
                    formset.deleted_objects.append(grant)
                continue
            values = grant_form.grant_values()
            try:
                changed = sorted(set(grant_form.changed_data) - {"reason"})
                if grant.pk is None and values["role"]:
                    formset.new_objects.append(
                        services.role_grant_add(
                            actor=request.user, user=user, reason=reason, request=request,
                            **values,
                        )
                    )  # fmt: skip
                elif grant.pk is not None and changed:
                    services.role_grant_change(
                        actor=request.user, grant=grant, reason=reason, request=request, **values
                    )
                    formset.changed_objects.append((grant, changed))
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))

    @admin.action(description=_("停用所选账号"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_active(request, queryset, active=False)

    @admin.action(description=_("启用所选账号"))
    def activate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_active(request, queryset, active=True)

    def _set_active(self, request: HttpRequest, queryset: QuerySet[User], active: bool) -> None:
        done = 0
        for user in queryset:
            try:
                services.user_update(
                    actor=request.user, user=user, changes={"is_active": active}, request=request
                )
            except (PermissionDenied, ValidationError) as exc:
                reason = "；".join(getattr(exc, "messages", [])) or _("无权修改该账号。")
                messages.error(request, f"{user.username}：{reason}")
            else:
                done += 1
        messages.success(request, _("已处理 %(n)d 个账号。") % {"n": done})

    def get_urls(self) -> list[URLPattern]:
        unmask = path(
            "<id>/unmask-permission/",
            self.admin_site.admin_view(self.unmask_permission_view),
            name="accounts_user_unmask_permission",
        )
        return [unmask, *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The security admin's 授予/撤销明文查看权限 link at the top of the page."""
        context = dict(extra_context or {})
        user = self.get_object(request, unquote(object_id))
        if user is not None and can_grant_unmask(request.user):
            held = _holds_unmask(user)
            if held or may_receive_unmask(request.user, user):
                context["unmask_permission_url"] = reverse(
                    "admin:accounts_user_unmask_permission", args=[user.pk]
                )
                context["unmask_permission_held"] = held
        return super().change_view(request, object_id, form_url, extra_context=context)

    def unmask_permission_view(self, request: HttpRequest, id: str) -> HttpResponse:
        """授予或撤销明文查看权限: the security administrator, with a reason (audited). A
        grant without a reason changes nothing and says why."""
        if not can_grant_unmask(request.user):
            raise PermissionDenied
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        held = _holds_unmask(user)
        action = UnmaskPermissionForm.REVOKE if held else UnmaskPermissionForm.GRANT
        form = UnmaskPermissionForm(request.POST or None, initial={"action": action})
        if request.method == "POST" and form.is_valid():
            write = (
                services.unmask_permission_grant
                if form.cleaned_data["action"] == UnmaskPermissionForm.GRANT
                else services.unmask_permission_revoke
            )
            try:
                changed = write(
                    actor=request.user,
                    user=user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                granted = form.cleaned_data["action"] == UnmaskPermissionForm.GRANT
                if not changed:
                    messages.info(request, _("没有变化：该用户的明文查看权限已是此状态。"))
                elif granted:
                    messages.success(request, _("已授予明文查看权限，记入审计日志。"))
                else:
                    messages.success(request, _("已撤销明文查看权限，记入审计日志。"))
                return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[user.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": (_("撤销明文查看权限：%(user)s") if held else _("授予明文查看权限：%(user)s"))
            % {"user": user.get_username()},
            "form": form,
            "held": held,
            "opts": self.opts,
            "original": user,
        }
        return TemplateResponse(request, "admin/accounts/user/unmask_permission.html", context)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """重置密码: the administrator types a temporary password; the user must replace it at
        the next login. Through the service, audited; the stock view would bypass both."""
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        form = PasswordResetForm(user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.user_password_reset(
                actor=request.user,
                user=user,
                password=form.cleaned_data["password1"],
                request=request,
            )
            messages.success(request, _("密码已重置，该用户下次登录时须修改密码。"))
            return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[user.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("重置密码：%(user)s") % {"user": user.get_username()},
            "form": form,
            "opts": self.opts,
            "original": user,
        }
        return TemplateResponse(request, "admin/accounts/user/reset_password.html", context)


def _masked(field: Any) -> Any:
    return "masked_phone" if field == "phone" else field


def _holds_unmask(user: User) -> bool:
    """The unmask permission given to this user directly (the one the back office grants)."""
    return user.user_permissions.filter(pk=services.unmask_permission().pk).exists()


@admin.register(RoleGrant)
class RoleGrantAdmin(PortalAdmin):
    """Every grant, filtered by role and scope. Grants are added, changed and ended on the
    user's page (with the reason); this list finds them."""

    view_roles = frozenset({Role.DISTRICT_ADMIN, Role.SECURITY_ADMIN})
    list_display = ["user", "role", "scope_label", "granted_by", "created_at", "user_link"]
    list_filter = [RoleFilter, ScopeFilter]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user", "area", "department", "company", "granted_by"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff) and (
            super().has_view_permission(request, obj) or can_manage_users(request.user)
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleGrant]:
        return (
            super()
            .get_queryset(request)
            .filter(user__in=users_for(request.user))
            .select_related(*self.list_select_related)
        )

    @admin.display(description=_("范围"))
    def scope_label(self, obj: RoleGrant) -> str:
        return obj.scope_label

    @admin.display(description=_("变更授权"))
    def user_link(self, obj: RoleGrant) -> Any:
        url = reverse("admin:accounts_user_change", args=[obj.user_id])
        return format_html_join("", '<a href="{}">{}</a>', [(url, _("到用户页"))])


@admin.register(AuditLog)
class AuditLogAdmin(PortalAdmin):
    """Read-only for the auditor and the security administrator; nobody edits the audit log."""

    view_roles = frozenset({Role.AUDITOR, Role.SECURITY_ADMIN})
    list_display = ["at", "username", "action", "object_repr", "outcome", "ip"]
    list_filter = ["action", "outcome"]
    search_fields = ["username", "object_repr"]
    date_hierarchy = "at"
    list_per_page = 50

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
