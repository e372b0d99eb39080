from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One code: six digits from the authenticator app, or (at login) a recovery code."""

    code = forms.CharField(
        label=_("验证码"),
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: object, digits_only: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        widget = self.fields["code"].widget
        if digits_only:
            widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})
            self.fields["code"].help_text = _("验证器中显示的 6 位数字。")
        else:
            self.fields["code"].help_text = _(
                "验证器中显示的 6 位数字；手机不在身边时，可输入一个恢复码（每个只能用一次）。"
            )


class ResetForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("重置原因"), max_length=200)


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("用户名或姓名"), required=False, max_length=50)
