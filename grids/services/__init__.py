"""Every write of the grids app, by topic: grids and their coverage (``grid``), grid posts
(``staffing``), the community worker roster (``workers``), stations (``stations``) and
visits (``visits``). Keyword-only, in a transaction, with its audit row; bad input is a
``ValidationError`` (with the field it concerns where there is one)."""

from .grid import GRID_FIELDS, grid_cover_area, grid_create, grid_uncover_area, grid_update
from .staffing import staffing_assign, staffing_end
from .stations import STATION_FIELDS, model_post_add, station_create, station_update
from .visits import CASE_TITLE_LENGTH, visit_follow_up_done, visit_log
from .workers import (
    WORKER_FIELDS,
    training_add,
    worker_create,
    worker_grade_change,
    worker_update,
)

__all__ = [
    "CASE_TITLE_LENGTH",
    "GRID_FIELDS",
    "STATION_FIELDS",
    "WORKER_FIELDS",
    "grid_cover_area",
    "grid_create",
    "grid_uncover_area",
    "grid_update",
    "model_post_add",
    "staffing_assign",
    "staffing_end",
    "station_create",
    "station_update",
    "training_add",
    "visit_follow_up_done",
    "visit_log",
    "worker_create",
    "worker_grade_change",
    "worker_update",
]
