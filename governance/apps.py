from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("组织与区域")

    def ready(self) -> None:
        from common.fragments import watch

        # the place and department choices of the filter bars
        watch("governance.Area", "governance.Department")
