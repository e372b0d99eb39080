"""The back office's account forms: a new user with the first grant in one form, a grant row
with the reason for changing or ending it, and an administrator's password reset.

Forms parse input and show the rules' messages early; the services check every rule again.
``accounts`` sits below ``governance``, so the area, department and company models are reached
through the grant's own foreign keys.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .forms import NewPasswordForm
from .models import RoleGrant, User
from .personal_data import mask_phone
from .policies import STREET_GRANTABLE_ROLES, can_grant_roles, may_grant, street_paths
from .roles import ROLE_AREA_LEVEL, Role
from .scoping import any_of
from .services import grant_scope_check

Area: Any = RoleGrant._meta.get_field("area").related_model
Department: Any = RoleGrant._meta.get_field("department").related_model
Company: Any = RoleGrant._meta.get_field("company").related_model

GRANT_LEVELS = sorted(set(ROLE_AREA_LEVEL.values()))
PHONE_REGEX = r"^1[3-9][0-9]{9}$"


def grant_areas(actor: Any) -> QuerySet[Any]:
    """The areas a grant may name for this actor: the district, streets and communities for the
    district admin; a street office's own communities."""
    areas = Area.objects.filter(level__in=GRANT_LEVELS, is_active=True).order_by("path")
    if can_grant_roles(actor):
        return areas
    paths = street_paths(actor)
    if not paths:
        return areas.none()
    return areas.filter(any_of(Q(path__startswith=path) for path in paths), level="community")


def grantable_roles(actor: Any) -> list[tuple[str, Any]]:
    if can_grant_roles(actor):
        return list(Role.choices)
    if not street_paths(actor):
        return []
    return [(value, label) for value, label in Role.choices if value in STREET_GRANTABLE_ROLES]


class AreaPathChoiceField(forms.ModelChoiceField):
    """Areas named by their whole path (台儿庄区 / 运河街道 / 华阳社区): bare names repeat."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._names: dict[str, str] | None = None

    def label_from_instance(self, obj: Any) -> str:
        if self._names is None:
            self._names = dict(
                Area.objects.filter(level__in=GRANT_LEVELS).values_list("path", "name")
            )
        step = Area.steplen
        ends = range(step, len(obj.path) + 1, step)
        parts = [self._names.get(obj.path[:end], "") for end in ends]
        return " / ".join(part for part in parts if part)


class GrantFieldsMixin(forms.Form):
    """Role and scope: an area for area roles, a department or a company for the others."""

    actor: Any = None

    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    area = AreaPathChoiceField(
        label=_("区域范围"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("区级角色选区，街道工作人员选街道，社区工作人员和网格员选社区。"),
    )
    department = forms.ModelChoiceField(
        label=_("区直部门"), queryset=Department.objects.none(), required=False
    )
    company = forms.ModelChoiceField(
        label=_("物业企业"), queryset=Company.objects.none(), required=False
    )

    def setup_grant_fields(self) -> None:
        self.fields["role"].choices = [("", "---------"), *grantable_roles(self.actor)]  # type: ignore[attr-defined]
        self.fields["area"].queryset = grant_areas(self.actor)  # type: ignore[attr-defined]
        if can_grant_roles(self.actor):
            self.fields["department"].queryset = Department.objects.filter(is_active=True)  # type: ignore[attr-defined]
            self.fields["company"].queryset = Company.objects.filter(is_active=True)  # type: ignore[attr-defined]
        else:
            self.fields.pop("department", None)
            self.fields.pop("company", None)

    def grant_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "role": data.get("role") or "",
            "area": data.get("area"),
            "department": data.get("department"),
            "company": data.get("company"),
        }

    def check_grant(self) -> None:
        values = self.grant_values()
        if not values["role"]:
            return
        try:
            grant_scope_check(**values)
        except ValidationError as exc:
            self.add_error(None, exc)
            return
        area = values["area"]
        if not may_grant(self.actor, values["role"], area.path if area is not None else None):
            self.add_error(None, _("您无权授予该角色或该范围。"))


class UserCreateForm(GrantFieldsMixin, forms.ModelForm):
    """新建账号: name, phone, role and scope and a first password, in one form."""

    phone = forms.RegexField(
        label=_("手机号"),
        regex=PHONE_REGEX,
        required=False,
        error_messages={"invalid": _("请输入 11 位手机号。")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    password1 = forms.CharField(
        label=_("初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("只用于首次登录：用户登录后须立即改为自己的密码。"),
    )
    password2 = forms.CharField(
        label=_("再次输入初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "is_staff"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.actor is None:
            raise PermissionDenied
        self.fields["full_name"].required = True
        self.setup_grant_fields()
        if not can_grant_roles(self.actor):
            self.fields.pop("is_staff", None)
        elif "is_staff" in self.fields:
            self.fields["is_staff"].label = _("可登录后台")
            self.fields["is_staff"].help_text = _("区级系统管理员、安全管理员、审计员需要后台。")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif first:
            probe = User(username=data.get("username") or "", full_name=data.get("full_name") or "")
            try:
                password_validation.validate_password(first, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        if not data.get("role"):
            self.add_error("role", _("请选择角色。"))
        else:
            self.check_grant()
        return data


class UserChangeForm(auth_forms.UserChangeForm):
    """An account's details. The phone is shown masked and kept when the box is left empty;
    the password is reset on its own page (the link under the password)."""

    actor: Any = None

    phone = forms.RegexField(
        label=_("手机号"),
        regex=PHONE_REGEX,
        required=False,
        error_messages={"invalid": _("请输入 11 位手机号。")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    class Meta:
        model = User
        fields = ["full_name", "email", "is_active", "is_staff"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_active") is False and self.instance.pk == getattr(self.actor, "pk", None):
            self.add_error("is_active", _("不能停用自己的账号。"))
        return data

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = mask_phone(self.instance.phone) if self.instance.phone else _("未登记")
        self.fields["phone"].initial = ""
        self.fields["phone"].help_text = _("当前：%(phone)s。留空则不变。") % {"phone": current}
        # The security admin only reads the page: Django leaves the model fields out then.
        if "is_active" in self.fields:
            self.fields["is_active"].label = _("启用")
            self.fields["is_active"].help_text = _(
                "取消勾选即停用账号：不能再登录，授权和记录保留。"
            )
        if "is_staff" in self.fields:
            self.fields["is_staff"].label = _("可登录后台")

    def account_changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes: dict[str, Any] = {
            field: data[field]
            for field in ("full_name", "email", "is_active", "is_staff")
            if field in self.changed_data and field in data
        }
        if data.get("phone"):
            changes["phone"] = data["phone"]
        return changes


class GrantInlineForm(GrantFieldsMixin, forms.ModelForm):
    """One grant on the user's page; changing or ending it asks for the reason."""

    reason = forms.CharField(
        label=_("变更/结束原因"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"size": 24}),
    )

    class Meta:
        model = RoleGrant
        fields = ["role", "area", "department", "company"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_grant_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_grant()
        if self.instance.pk and self.has_changed() and not (data.get("reason") or "").strip():
            changed = set(self.changed_data) - {"reason", "DELETE"}
            if changed:
                self.add_error("reason", _("请填写变更授权的原因。"))
        return data

    def _post_clean(self) -> None:
        # The service writes the row (and its audit row); the model's own validation would
        # only repeat the scope check with a less helpful message.
        pass


class GrantInlineFormSet(forms.BaseInlineFormSet):
    """Ending a grant (the delete box) needs its reason too; Django skips a deleted form's
    own validation, so the formset checks it."""

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if not (self.can_delete and self._should_delete_form(form) and form.instance.pk):  # type: ignore[attr-defined]
                continue
            if not (form.cleaned_data.get("reason") or "").strip():
                raise ValidationError(_("结束授权须填写原因（在该行的“变更/结束原因”中）。"))


class PasswordResetForm(NewPasswordForm):
    """The administrator's reset: the user must replace this password at the next login."""

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["password1"].label = _("新的临时密码")
        self.fields["password2"].label = _("再次输入临时密码")


class UnmaskPermissionForm(forms.Form):
    """Grant or revoke the unmask permission: the reason goes to the audit log."""

    GRANT, REVOKE = "grant", "revoke"

    action = forms.ChoiceField(choices=[(GRANT, GRANT), (REVOKE, REVOKE)], widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("原因"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text=_("例如：社区党委书记，核对低保对象身份。记入审计日志。"),
    )
