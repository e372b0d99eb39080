"""Deploy checks: production must not run with the published demo password on any account,
nor with an authenticator on the published demo key."""

from base64 import b32decode
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def demo_passwords_check(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[Error]:
    if settings.DEBUG or not databases:
        return []
    from .models import User

    try:
        users = list(User.objects.filter(is_active=True).only("username", "password")[:500])
    except DatabaseError:
        return []  # not migrated yet: nothing to check
    weak = [user.username for user in users if user.check_password(settings.DEMO_PASSWORD)]
    if not weak:
        return []
    return [
        Error(
            "这些账号仍使用公开的演示密码: {}".format(", ".join(sorted(weak)[:10])),
            hint="Change their passwords (manage.py changepassword) or deactivate them.",
            id="accounts.E001",
        )
    ]


@register(Tags.security, deploy=True)
def demo_authenticators_check(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[Error]:
    """A second factor on the key printed by seed_demo and the README is no factor at all."""
    if settings.DEBUG or not databases:
        return []
    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = b32decode(settings.DEMO_TOTP_SECRET).hex()
    try:
        names = sorted(
            TOTPDevice.objects.filter(key__iexact=key, user__is_active=True).values_list(
                "user__username", flat=True
            )[:500]
        )
    except DatabaseError:
        return []
    if not names:
        return []
    return [
        Error(
            "这些账号的验证器仍使用公开的演示密钥: {}".format(", ".join(names[:10])),
            hint="Reset their second factor (安全管理员 → 双因素认证) so that they bind their own.",
            id="accounts.E002",
        )
    ]
