"""双报到: unit check-ins with their agreements and resources (单位报到), the three lists and the
co-building projects (三单制), member check-ins with their tasks and year-end feedback (党员报到),
and campaigns that mobilise people into grids (专项行动); volunteer teams, volunteers,
activities with attendance and hours, the points ledger and shop, 微心愿 and micro-services.

Every scoped row carries ``area_path``, the materialised path of its community (a campaign: of
its organising area), so "everything under street X" is one indexed range scan; rows a
department liaison sees also carry the department (a project: every unit on it, ``unit_ids``).
"""

from .activities import (
    VOLUNTEER_KINDS,
    Activity,
    ActivityKind,
    ActivityPhoto,
    ActivityState,
    Attendance,
    AttendanceState,
    SignupChannel,
)
from .campaigns import (
    Campaign,
    CampaignDuty,
    CampaignPerson,
    CampaignShift,
    CampaignSignup,
    PersonKind,
)
from .checkins import (
    CheckInState,
    CoBuildAgreement,
    Resource,
    ResourceKind,
    UnitCheckIn,
    UnitType,
)
from .members import (
    Assessment,
    MemberCheckIn,
    MemberTask,
    ServiceArea,
    TaskKind,
    TaskState,
    YearFeedback,
)
from .points import (
    RULE_DEFAULTS,
    PointsEntry,
    PointsReason,
    PointsRule,
    Redemption,
    ShopItem,
)
from .projects import (
    CoBuildProject,
    CommunityNeed,
    EvidenceKind,
    NeedSource,
    NeedState,
    ProjectEvent,
    ProjectEvidence,
    ProjectMilestone,
    ProjectState,
)
from .teams import (
    STAR_HOURS,
    TeamKind,
    TeamMembership,
    Volunteer,
    VolunteerSource,
    VolunteerTeam,
    star_level,
)
from .wishes import ClaimantKind, MicroKind, MicroService, MicroServiceRecord, Wish, WishState

__all__ = [
    "RULE_DEFAULTS",
    "STAR_HOURS",
    "VOLUNTEER_KINDS",
    "Activity",
    "ActivityKind",
    "ActivityPhoto",
    "ActivityState",
    "Assessment",
    "Attendance",
    "AttendanceState",
    "Campaign",
    "CampaignDuty",
    "CampaignPerson",
    "CampaignShift",
    "CampaignSignup",
    "CheckInState",
    "ClaimantKind",
    "CoBuildAgreement",
    "CoBuildProject",
    "CommunityNeed",
    "EvidenceKind",
    "MemberCheckIn",
    "MemberTask",
    "MicroKind",
    "MicroService",
    "MicroServiceRecord",
    "NeedSource",
    "NeedState",
    "PersonKind",
    "PointsEntry",
    "PointsReason",
    "PointsRule",
    "ProjectEvent",
    "ProjectEvidence",
    "ProjectMilestone",
    "ProjectState",
    "Redemption",
    "Resource",
    "ResourceKind",
    "ServiceArea",
    "ShopItem",
    "SignupChannel",
    "TaskKind",
    "TaskState",
    "TeamKind",
    "TeamMembership",
    "UnitCheckIn",
    "UnitType",
    "Volunteer",
    "VolunteerSource",
    "VolunteerTeam",
    "Wish",
    "WishState",
    "YearFeedback",
    "star_level",
]
