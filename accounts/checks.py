"""Deploy checks: production must not run with the published demo password on any account."""

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
