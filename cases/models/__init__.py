"""Cases (事件): 网格发现、社区呼叫、分级响应、协同处置.

The workflow itself (which action leads from which state to which, who may take it, what it
needs) lives in ``cases.workflow``; these are the tables, by topic. ``from cases.models import X``
works for every model and choice.
"""

from .case import (
    ASSIGNED_FIELDS,
    HANDLING_FIELDS,
    Case,
    CaseAssignment,
    CaseQuerySet,
    search_bigrams,
)
from .categories import Category, CategoryLimit, RoutingRule
from .choices import (
    OPEN_STATES,
    SUPERVISION_RANK,
    TIER_ORDER,
    Alert,
    AssignmentRole,
    CaseSource,
    CaseState,
    NotificationKind,
    Satisfaction,
    Step,
    SupervisionLevel,
    Tier,
)
from .notifications import Notification, NotificationQuerySet
from .outbox import OutboxMessage, OutboxState
from .timeline import CaseAttachment, CaseEvent, Supervision
from .work_calendar import WorkCalendarDay

__all__ = [
    "ASSIGNED_FIELDS",
    "HANDLING_FIELDS",
    "OPEN_STATES",
    "SUPERVISION_RANK",
    "TIER_ORDER",
    "Alert",
    "AssignmentRole",
    "Case",
    "CaseAssignment",
    "CaseAttachment",
    "CaseEvent",
    "CaseQuerySet",
    "CaseSource",
    "CaseState",
    "Category",
    "CategoryLimit",
    "Notification",
    "NotificationKind",
    "NotificationQuerySet",
    "OutboxMessage",
    "OutboxState",
    "RoutingRule",
    "Satisfaction",
    "Step",
    "Supervision",
    "SupervisionLevel",
    "Tier",
    "WorkCalendarDay",
    "search_bigrams",
]
