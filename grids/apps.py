from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("网格")

    def ready(self) -> None:
        from cases.locating import register_point_locator
        from governance.services import register_area_path_copy

        from .locating import grid_place

        # Open311 (and any other caller of cases.locating) finds a point's grid on our map.
        register_point_locator(grid_place)

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
