"""红色物业: the tables. Companies' profiles and contracts, residential areas' profiles, owners'
committees, 1+3+N council meetings with their resolutions, complaint details on cases,
mediation of disputes, satisfaction surveys. No workflow here (``property_mgmt.workflow`` and
the services hold it). Every scoped row carries ``area_path`` (see ``property_mgmt.querysets``).
"""

from .committees import CommitteeMember, CommitteeRole, OwnersCommittee
from .companies import (
    CompanyContact,
    CompanyProfile,
    ContractKind,
    EstateProfile,
    FeeLevel,
    Qualification,
    ServiceContract,
)
from .complaints import (
    ComplaintDetail,
    ComplaintKind,
    ComplaintType,
    Mediation,
    MediationGroup,
    MediationOutcome,
    MediationSession,
    Mediator,
    MediatorRole,
    Referral,
)
from .councils import (
    AgendaItem,
    AttendeeSide,
    CouncilMeeting,
    MeetingAttendee,
    MeetingKind,
    MeetingPhoto,
    Resolution,
    ResolutionEvent,
    ResolutionState,
)
from .surveys import (
    ITEM_FIELDS,
    AnswerChannel,
    Score,
    Survey,
    SurveyAnswer,
    SurveyCode,
    SurveyItem,
)

__all__ = [
    "ITEM_FIELDS",
    "AgendaItem",
    "AnswerChannel",
    "AttendeeSide",
    "CommitteeMember",
    "CommitteeRole",
    "CompanyContact",
    "CompanyProfile",
    "ComplaintDetail",
    "ComplaintKind",
    "ComplaintType",
    "ContractKind",
    "CouncilMeeting",
    "EstateProfile",
    "FeeLevel",
    "Mediation",
    "MediationGroup",
    "MediationOutcome",
    "MediationSession",
    "Mediator",
    "MediatorRole",
    "MeetingAttendee",
    "MeetingKind",
    "MeetingPhoto",
    "OwnersCommittee",
    "Qualification",
    "Referral",
    "Resolution",
    "ResolutionEvent",
    "ResolutionState",
    "Score",
    "ServiceContract",
    "Survey",
    "SurveyAnswer",
    "SurveyCode",
    "SurveyItem",
]
