from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportsConfig(AppConfig):
    name = "supports"
    verbose_name = _("三大支撑")
