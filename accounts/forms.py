from datetime import datetime, time, timedelta
from typing import Any

from django import forms
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
