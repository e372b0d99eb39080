"""Every write of 双报到, by topic: check-ins (``checkins``), needs and projects
(``projects``), member check-ins, tasks and feedback (``members``), campaigns
(``campaigns``), teams and volunteers (``teams``), activities and attendance
(``activities``), points and the shop (``points``), wishes and micro-services (``wishes``).
Each service is keyword-only, runs in a transaction, checks the policy (PermissionDenied:
403), raises ``ValidationError`` for bad input and ``common.errors.Conflict`` for a state
that does not allow the change or a lost race, and writes its audit row."""

from .activities import (
    activity_close,
    activity_create,
    activity_photo_add,
    activity_record_served,
    attendance_absent,
    attendance_approve,
    attendance_check_in,
    attendance_check_out,
    attendance_signup,
)
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
from .points import (
    points_award_attendance,
    points_award_role,
    points_award_wish,
    points_redeem,
    shop_item_add,
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
from .teams import team_create, team_join, volunteer_register
from .wishes import (
    micro_record_add,
    micro_service_add,
    wish_claim,
    wish_confirm,
    wish_fulfil,
    wish_post,
    wish_review,
    wish_thank,
)

__all__ = [
    "activity_close",
    "activity_create",
    "activity_photo_add",
    "activity_record_served",
    "agreement_sign",
    "attendance_absent",
    "attendance_approve",
    "attendance_check_in",
    "attendance_check_out",
    "attendance_signup",
    "campaign_create",
    "checkin_import",
    "evidence_add",
    "feedback_record",
    "member_checkin_create",
    "member_checkin_end",
    "micro_record_add",
    "micro_service_add",
    "milestone_add",
    "milestone_done",
    "need_create",
    "need_draw",
    "points_award_attendance",
    "points_award_role",
    "points_award_wish",
    "points_redeem",
    "project_agree",
    "project_cancel",
    "project_complete",
    "project_create",
    "project_rate",
    "project_start",
    "project_transition",
    "resource_add",
    "shift_add",
    "shop_item_add",
    "signup_add",
    "signup_attend",
    "task_assign",
    "task_complete",
    "task_miss",
    "team_create",
    "team_join",
    "unit_checkin_confirm",
    "unit_checkin_create",
    "unit_checkin_withdraw",
    "volunteer_register",
    "wish_claim",
    "wish_confirm",
    "wish_fulfil",
    "wish_post",
    "wish_review",
    "wish_thank",
]
