"""Every write of 双报到, by topic: check-ins (``checkins``), needs and projects
(``projects``), member check-ins, tasks and feedback (``members``), campaigns
(``campaigns``). Each service is keyword-only, runs in a transaction, checks the policy
(PermissionDenied: 403), raises ``ValidationError`` for bad input and ``common.errors.Conflict``
for a state that does not allow the change or a lost race, and writes its audit row."""

from .campaigns import campaign_create, shift_add, signup_add, signup_attend
from .checkins import (
    agreement_sign,
    resource_add,
    unit_checkin_confirm,
    unit_checkin_create,
    unit_checkin_withdraw,
)
from .imports import checkin_import
from .members import (
    feedback_record,
    member_checkin_create,
    member_checkin_end,
    task_assign,
    task_complete,
    task_miss,
)
from .projects import (
    evidence_add,
    milestone_add,
    milestone_done,
    need_create,
    need_draw,
    project_agree,
    project_cancel,
    project_complete,
    project_create,
    project_rate,
    project_start,
    project_transition,
)

__all__ = [
    "agreement_sign",
    "campaign_create",
    "checkin_import",
    "evidence_add",
    "feedback_record",
    "member_checkin_create",
    "member_checkin_end",
    "milestone_add",
    "milestone_done",
    "need_create",
    "need_draw",
    "project_agree",
    "project_cancel",
    "project_complete",
    "project_create",
    "project_rate",
    "project_start",
    "project_transition",
    "resource_add",
    "shift_add",
    "signup_add",
    "signup_attend",
    "task_assign",
    "task_complete",
    "task_miss",
    "unit_checkin_confirm",
    "unit_checkin_create",
    "unit_checkin_withdraw",
]
