"""Pages of the worker careers, by topic:

* ``roster``: posts against quotas (vacancies), setting a quota
* ``recruitment``: recruitment rounds with their posts and applicants (import included)
* ``career``: a worker's career (appraisals, promotions along 3岗18级, grade history,
  trainings) and the appraisal and promotion ledgers

``supports.urls`` takes every page from here (``careers.roster``, ``careers.round_detail``…).
"""

from .career import appraisal_list, promotion_list, worker_appraise, worker_career, worker_promote
from .recruitment import (
    applicant_action,
    applicant_create,
    applicant_detail,
    applicant_import,
    position_add,
    round_advance,
    round_create,
    round_detail,
    round_list,
)
from .roster import quota_set, roster

__all__ = [
    "applicant_action",
    "applicant_create",
    "applicant_detail",
    "applicant_import",
    "appraisal_list",
    "position_add",
    "promotion_list",
    "quota_set",
    "roster",
    "round_advance",
    "round_create",
    "round_detail",
    "round_list",
    "worker_appraise",
    "worker_career",
    "worker_promote",
]
