from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("网格")

    def ready(self) -> None:
        from governance.services import register_area_path_copy

        # Moving an area rewrites every copy of its path, ours included.
        for model in (
            "Grid",
            "GridCoverage",
            "GridStaffing",
            "CommunityWorker",
            "GradeChange",
            "Training",
            "Station",
            "Visit",
            "VisitProblem",
        ):
            register_area_path_copy(f"grids.{model}", "area_path")
