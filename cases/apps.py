from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("事件处置")

    def ready(self) -> None:
        from common.fragments import watch
        from governance.services import register_area_ancestor_copy, register_area_path_copy

        from . import receivers  # noqa: F401  (the SMS / e-mail of committed notifications)

        watch("cases.Category")  # the category choices of the case list's filter bar

        # Moving an area rewrites each case's stored path, street and community with it, so
        # subtree lists and counts keep reading the case row alone.
        register_area_path_copy("cases.Case", "area_path")
        register_area_ancestor_copy("cases.Case", "area_path", "street", "street")
        register_area_ancestor_copy("cases.Case", "area_path", "community", "community")
