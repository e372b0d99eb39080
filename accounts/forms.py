from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditAction, AuditOutcome


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续 5 次错误将锁定该账号 30 分钟。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("操作"), required=False, choices=[("", _("全部")), *AuditAction.choices]
    )
    outcome = forms.ChoiceField(
        label=_("结果"), required=False, choices=[("", _("全部")), *AuditOutcome.choices]
    )
    username = forms.CharField(label=_("用户名"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        tz = timezone.get_current_timezone()

        def day_start(day: Any) -> datetime | None:
            return datetime.combine(day, time.min, tzinfo=tz) if day else None

        end = day_start(data.get("date_to"))
        return {
            "action": data.get("action") or "",
            "outcome": data.get("outcome") or "",
            "username": (data.get("username") or "").strip(),
            "date_from": day_start(data.get("date_from")),
            "date_to": end + timedelta(days=1) if end else None,
        }


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=150)


class NewPasswordForm(forms.Form):
    """A new password typed twice; the password policy runs on the first. The services set it."""

    password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "至少 12 位，含小写字母、大写字母、数字、符号中的至少 3 类，"
            "不能与用户名或姓名相近，也不能是常用密码。"
        ),
    )
    password2 = forms.CharField(
        label=_("再次输入新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class PasswordChangeForm(NewPasswordForm):
    """The user's own change: the current password first (the administrator's temporary one at
    the first login)."""

    old_password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "password1", "password2"]

    def clean_old_password(self) -> str:
        value: str = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("当前密码不正确。"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("old_password") and data.get("old_password") == data.get("password1"):
            self.add_error("password1", _("新密码不能与当前密码相同。"))
        return data


class ApiTokenForm(forms.Form):
    """A new API token of one's own: what it is for, and how long it lives."""

    LIFETIMES = [(30, _("30 天")), (90, _("90 天")), (180, _("180 天")), (365, _("365 天"))]

    name = forms.CharField(
        label=_("名称"),
        max_length=100,
        help_text=_("用在哪里，便于日后辨认和吊销，例如“热线对接脚本”。"),
    )
    days = forms.TypedChoiceField(label=_("有效期"), choices=LIFETIMES, coerce=int, initial=90)
