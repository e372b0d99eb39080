from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """The helpers below every app; its one table is the export jobs (``common.exports``)."""

    name = "common"
    verbose_name = _("公共")

    def ready(self) -> None:
        from . import fragments

        fragments.connect()  # the versions of kept fragments (the list pages' filter bars)
