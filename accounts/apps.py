from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号与安全")

    def ready(self) -> None:
        from common.fragments import watch

        from . import checks, receivers, schema  # noqa: F401  (checks, auth receivers, API schema)

        watch("accounts.RoleGrant")  # a filter bar offers what the actor's grants reach
