"""双报到: unit check-ins with their agreements and resources (单位报到), the three lists and the
co-building projects (三单制), member check-ins with their tasks and year-end feedback (党员报到),
and campaigns that mobilise people into grids (专项行动).

Every scoped row carries ``area_path``, the materialised path of its community (a campaign: of
its organising area), so "everything under street X" is one indexed range scan; rows a
department liaison sees also carry the department (a project: every unit on it, ``unit_ids``).
"""

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

__all__ = [
    "Assessment",
    "Campaign",
    "CampaignDuty",
    "CampaignPerson",
    "CampaignShift",
    "CampaignSignup",
    "CheckInState",
    "CoBuildAgreement",
    "CoBuildProject",
    "CommunityNeed",
    "EvidenceKind",
    "MemberCheckIn",
    "MemberTask",
    "NeedSource",
    "NeedState",
    "PersonKind",
    "ProjectEvent",
    "ProjectEvidence",
    "ProjectMilestone",
    "ProjectState",
    "Resource",
    "ResourceKind",
    "ServiceArea",
    "TaskKind",
    "TaskState",
    "UnitCheckIn",
    "UnitType",
    "YearFeedback",
]
