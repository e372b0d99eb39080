"""Pages of the grids app, by topic: grids and their staffing (``grid``), the map (``maps``),
community workers (``workers``), stations (``stations``) and visits (``visits``). A view
parses input, resolves objects through a scoped selector, calls one service and renders;
objects outside the actor's scope are 404."""

from .grid import (
    grid_cover,
    grid_create,
    grid_detail,
    grid_edit,
    grid_list,
    grid_uncover,
    staffing_add,
    staffing_breaches,
    staffing_end,
)
from .maps import grid_locate, grid_map
from .stations import model_post_add, station_create, station_detail, station_edit, station_list
from .visits import visit_create, visit_detail, visit_followed_up, visit_list
from .workers import (
    worker_create,
    worker_detail,
    worker_edit,
    worker_grade,
    worker_list,
    worker_training,
)

__all__ = [
    "grid_cover",
    "grid_create",
    "grid_detail",
    "grid_edit",
    "grid_list",
    "grid_locate",
    "grid_map",
    "grid_uncover",
    "model_post_add",
    "staffing_add",
    "staffing_breaches",
    "staffing_end",
    "station_create",
    "station_detail",
    "station_edit",
    "station_list",
    "visit_create",
    "visit_detail",
    "visit_followed_up",
    "visit_list",
    "worker_create",
    "worker_detail",
    "worker_edit",
    "worker_grade",
    "worker_list",
    "worker_training",
]
