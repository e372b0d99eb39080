"""The figures of 红色物业, computed live from the records of the actor's scope, by topic:

* ``estates``: **coverage** (物业服务覆盖率, 业委会组建率, 三无小区) of a subtree's residential
  areas, drillable down to the areas
* ``rates``: the **complaint rate**, property complaints per 1,000 households per month, by
  company, residential area, community or street
* ``satisfaction``: **满意率**, the share of answers rated 满意 or 非常满意
* ``boards``: **红黑榜**, the published formula of ``RANKING_FORMULA`` over a quarter, and
  the ledger filters (``narrow_*``) that list the rows behind each of its inputs
* ``base``: shares, changes and household counts they all use
* ``kept``: a page's figures kept until what they count may have changed

``from property_mgmt.selectors import stats`` then ``stats.coverage(...)``, and every name below
through ``property_mgmt.selectors``, is the public way in.
"""

from .base import (
    ESTATE_PATH_LENGTH,
    STEP,
    change_pct,
    company_estates,
    company_households,
    households_by_prefix,
    labels_of,
    share,
)
from .boards import (
    BLACK_LINE,
    COUNTED,
    KEPT,
    LATE,
    MISSED,
    ON_TIME,
    RANKING_FORMULA,
    RED_LINE,
    WEIGHTS,
    RankingRow,
    narrow_complaints,
    narrow_resolutions,
    narrow_surveys,
    ranking,
)
from .estates import Coverage, CoverageRow, coverage, estate_facts
from .kept import kept
from .rates import (
    GROUPS,
    RateRow,
    RateTable,
    complaint_rate,
    complaint_rates,
    complaints,
    monthly_rate,
)
from .satisfaction import (
    SATISFIED,
    answer_figures,
    answers_in,
    satisfaction_by,
    satisfaction_change,
    survey_results,
)

__all__ = [
    "BLACK_LINE",
    "COUNTED",
    "ESTATE_PATH_LENGTH",
    "GROUPS",
    "KEPT",
    "LATE",
    "MISSED",
    "ON_TIME",
    "RANKING_FORMULA",
    "RED_LINE",
    "SATISFIED",
    "STEP",
    "WEIGHTS",
    "Coverage",
    "CoverageRow",
    "RankingRow",
    "RateRow",
    "RateTable",
    "answer_figures",
    "answers_in",
    "change_pct",
    "company_estates",
    "company_households",
    "complaint_rate",
    "complaint_rates",
    "complaints",
    "coverage",
    "estate_facts",
    "households_by_prefix",
    "kept",
    "labels_of",
    "monthly_rate",
    "narrow_complaints",
    "narrow_resolutions",
    "narrow_surveys",
    "ranking",
    "satisfaction_by",
    "satisfaction_change",
    "share",
    "survey_results",
]
