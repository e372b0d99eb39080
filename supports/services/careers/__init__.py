"""Writes of the community worker careers, by topic: quotas, recruitment (招考), annual
appraisal and promotions along 3岗18级.

* ``quotas``: a community's quota per post and the vacancies it leaves
* ``rounds``: recruitment rounds and the posts they offer
* ``applicants``: registration (one by one or imported), scores, results and the hire
* ``appraisals``: the annual appraisal and the promotion it allows

The worker and its grade history belong to the grids app: hiring an applicant creates the
worker through ``grids.services.worker_create`` and a promotion records its step through
``grids.services.worker_grade_change``, in the same transaction as the row kept here.
Concurrency: a hire locks its recruitment post, so two hires at once never exceed the
openings; a promotion locks the appraisal it is based on, so one appraisal promotes once.

``from supports.services import careers`` then ``careers.quota_set(...)`` (and every name
below) is the public way in.
"""

from ._base import IN_POST, INTERVIEW_WEIGHT, POST_ORDER, ROUND_ORDER, WRITTEN_WEIGHT
from .applicants import (
    APPLICANT_TEMPLATE,
    applicant_add,
    applicant_decide,
    applicant_hire,
    applicant_import,
    applicant_score,
    total_score,
)
from .appraisals import appraisal_record, worker_promote
from .quotas import in_post, open_openings, quota_set, vacancies
from .rounds import position_add, round_advance, round_create

__all__ = [
    "APPLICANT_TEMPLATE",
    "INTERVIEW_WEIGHT",
    "IN_POST",
    "POST_ORDER",
    "ROUND_ORDER",
    "WRITTEN_WEIGHT",
    "applicant_add",
    "applicant_decide",
    "applicant_hire",
    "applicant_import",
    "applicant_score",
    "appraisal_record",
    "in_post",
    "open_openings",
    "position_add",
    "quota_set",
    "round_advance",
    "round_create",
    "total_score",
    "vacancies",
    "worker_promote",
]
