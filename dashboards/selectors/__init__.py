"""What a dashboard shows, for an actor's territory and a period: figures with their
comparisons, tables (each also a chart, an Excel sheet and a set of links), rankings, the seed
report's figures and the coverage panels.

The case figures come from a *source*: the rollups (:class:`~dashboards.rollup.RollupSource`,
always, on every page) or, for the benchmark's naive rows and the tests, the same figures
counted from the case tables (:class:`~dashboards.direct.DirectSource`). A dashboard reads two
or three grouped sums of the source, then names, weights and visits: a constant number of
queries whatever the size of the district.
"""

from .board import case_dashboard
from .home import HOME_KPIS, HomeFigure, home_dashboard, work_figures
from .panels import coverage_panel, kpi_table, ranking_table, satisfaction_labels
from .rankings import INPUT_MEASURES, input_links, rankings
from .shapes import (
    ALL_SECTIONS,
    CASE_FACETS,
    NUMBER_CELL,
    ROW_HEADER,
    STEP,
    TEXT_CELL,
    Cell,
    Dashboard,
    Kpi,
    Ranking,
    Source,
    Table,
    unit_names,
)
from .tables import AREA_COLUMNS, BREAKDOWN_COLUMNS, MEASURE_HEADERS, trend_months

__all__ = [
    "ALL_SECTIONS",
    "AREA_COLUMNS",
    "BREAKDOWN_COLUMNS",
    "CASE_FACETS",
    "HOME_KPIS",
    "INPUT_MEASURES",
    "MEASURE_HEADERS",
    "NUMBER_CELL",
    "ROW_HEADER",
    "STEP",
    "TEXT_CELL",
    "Cell",
    "Dashboard",
    "HomeFigure",
    "Kpi",
    "Ranking",
    "Source",
    "Table",
    "case_dashboard",
    "coverage_panel",
    "home_dashboard",
    "input_links",
    "kpi_table",
    "ranking_table",
    "rankings",
    "satisfaction_labels",
    "trend_months",
    "unit_names",
    "work_figures",
]
