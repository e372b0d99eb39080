"""The choices of the cases tables: tiers, states, sources, steps, marks, ratings, kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    GRID = "grid", _("网格")
    COMMUNITY = "community", _("社区")
    STREET = "street", _("街道")
    DISTRICT = "district", _("区级")


#: Escalation order: 社区呼叫 moves a case one step up this list.
TIER_ORDER = [Tier.GRID, Tier.COMMUNITY, Tier.STREET, Tier.DISTRICT]


class CaseState(models.TextChoices):
    REPORTED = "reported", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("处置中")
    RESOLVED = "resolved", _("待核查")
    VERIFIED = "verified", _("待评价")
    CLOSED = "closed", _("已办结")
    REJECTED = "rejected", _("不予受理")
    MERGED = "merged", _("已合并")


OPEN_STATES = frozenset(
    {
        CaseState.REPORTED,
        CaseState.ACCEPTED,
        CaseState.IN_PROGRESS,
        CaseState.RESOLVED,
        CaseState.VERIFIED,
    }
)


class CaseSource(models.TextChoices):
    GRID = "grid", _("网格发现")
    RESIDENT = "resident", _("居民反映")
    HOTLINE = "hotline", _("12345 热线")
    VISIT = "visit", _("民情走访")
    PROPERTY = "property", _("物业投诉")
    OPEN311 = "open311", _("外部系统（Open311）")


class Step(models.TextChoices):
    """The step whose deadline is running."""

    NONE = "", _("无时限")
    ACCEPT = "accept", _("受理")
    HANDLE = "handle", _("处置")
    VERIFY = "verify", _("核查")


class Alert(models.TextChoices):
    NONE = "", _("正常")
    YELLOW = "yellow", _("黄灯预警")
    RED = "red", _("红灯超期")


class SupervisionLevel(models.TextChoices):
    NONE = "", _("未督办")
    ORDINARY = "ordinary", _("一般督办")
    YELLOW = "yellow", _("黄牌督办")
    RED = "red", _("红牌督办")


SUPERVISION_RANK = {"": 0, "ordinary": 1, "yellow": 2, "red": 3}


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    COOPERATING = "cooperating", _("协办")


class NotificationKind(models.TextChoices):
    """The event code a notification keeps (its text is rendered from it: ``cases.notify``)."""

    ASSIGNED = "assigned", _("新派单")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    RESOLVED = "resolved", _("待核查")
    VERIFIED = "verified", _("待评价")
    CLOSED = "closed", _("已结案")
    REPLIED = "replied", _("协办答复")
    SENT_BACK = "sent_back", _("回退")
    WARNING = "warning", _("即将超期")
    OVERDUE = "overdue", _("已超期")
    SUPERVISED = "supervised", _("督办")
    URGENT = "urgent", _("加急")
    ESCALATED = "escalated", _("社区呼叫")
    EXTENSION = "extension", _("延期申请")
    EXT_APPROVED = "ext_approved", _("延期已批准")
    EXT_REFUSED = "ext_refused", _("延期被驳回")
    REOPENED = "reopened", _("重新办理")
    MERGED = "merged", _("已合并")
