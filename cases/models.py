"""Cases (事件): 网格发现、社区呼叫、分级响应、协同处置.

The workflow itself (which action leads from which state to which) lives in ``cases.workflow``;
these are the tables. A case stores its area path, street and community so that subtree lists
and counts are one indexed range scan and never walk the area tree.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import EncryptedCharField
from accounts.scoping import Scope, ScopedQuerySet, any_of
from common.units import one_unit_q, unit_foreign_keys, unit_of


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


# --- Work calendar ----------------------------------------------------------------------------


class WorkCalendarDay(models.Model):
    """An exception to the Monday-to-Friday week: a public holiday on a weekday, or a make-up
    working day (调休) on a weekend. Days not listed follow the ordinary week."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(
        _("上班"), help_text=_("勾选：调休上班日；不勾选：法定节假日休息。")
    )
    name = models.CharField(_("说明"), max_length=50, help_text=_("如“春节”“春节调休”。"))

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("上班") if self.is_working_day else _("休息")
        return f"{self.date:%Y-%m-%d} {self.name}（{kind}）"


# --- Categories and routing -------------------------------------------------------------------


class Category(models.Model):
    """Two levels: 环境卫生 → 垃圾堆放. Cases use second-level categories; limits and the
    starting tier are looked up on the category, then on its parent."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级类别"),
    )
    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    start_tier = models.CharField(
        _("起始层级"), max_length=12, choices=Tier.choices, default=Tier.COMMUNITY
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("事件类别")
        verbose_name_plural = _("事件类别")
        ordering = ["sort", "code"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_name"),
        ]

    def __str__(self) -> str:
        if self.parent_id is not None and "parent" in self._state.fields_cache:
            return f"{self.parent} → {self.name}"
        return self.name


class CategoryLimit(models.Model):
    """Time limits (working days) of a category at one tier."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="limits", verbose_name=_("类别")
    )
    tier = models.CharField(_("层级"), max_length=12, choices=Tier.choices)
    accept_days = models.DecimalField(_("受理时限（工作日）"), max_digits=5, decimal_places=2)
    handle_days = models.DecimalField(_("处置时限（工作日）"), max_digits=5, decimal_places=2)
    verify_days = models.DecimalField(_("核查时限（工作日）"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        constraints = [
            models.UniqueConstraint(fields=["category", "tier"], name="categorylimit_unique"),
            models.CheckConstraint(
                condition=Q(accept_days__gt=0, handle_days__gt=0, verify_days__gt=0),
                name="categorylimit_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.get_tier_display()}"


class RoutingRule(models.Model):
    """Category + area → default handling unit. The rule of the deepest matching area wins;
    staff can pick another unit when they dispatch."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("类别")
    )
    area = models.ForeignKey(
        "governance.Area",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("适用区域"),
        help_text=_("该区域及其下级区域的事件适用本规则。"),
    )
    unit_area, department, company = unit_foreign_keys(
        on_delete=models.CASCADE, labels=(_("承办街道/社区"), _("承办部门"), _("承办物业企业"))
    )

    class Meta:
        verbose_name = _("派单规则")
        verbose_name_plural = _("派单规则")
        constraints = [
            models.CheckConstraint(condition=one_unit_q(), name="routingrule_one_unit"),
            models.UniqueConstraint(fields=["category", "area"], name="routingrule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category_id} @ {self.area_id} → {unit_of(self)}"


# --- Cases ------------------------------------------------------------------------------------


class CaseQuerySet(ScopedQuerySet["Case"]):
    """Area grants see the cases of their subtree; a department liaison or property staff
    member sees the cases assigned to their unit. Assignments are matched with a semi-join
    (``pk IN (SELECT case_id ...)``), never a join, so a case with several assignments is still
    one row, in one query; inside the OR of several grants PostgreSQL hashes the subquery once,
    where a correlated EXISTS would run once per row."""

    scope_area_path = "area_path"

    def scope_condition(self, scope: Scope) -> Q | None:
        parts: list[Q] = []
        area_condition = super().scope_condition(scope)
        if area_condition is not None:
            parts.append(area_condition)
        departments = scope.department_ids(self.scope_roles)
        if departments:
            parts.append(
                Q(
                    pk__in=CaseAssignment.objects.filter(
                        department_id__in=sorted(departments)
                    ).values("case_id")
                )
            )
        companies = scope.company_ids(self.scope_roles)
        if companies:
            parts.append(
                Q(
                    pk__in=CaseAssignment.objects.filter(company_id__in=sorted(companies)).values(
                        "case_id"
                    )
                )
            )
        return any_of(parts)

    def open(self) -> CaseQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def within(self, path: str) -> CaseQuerySet:
        return self.filter(area_path__startswith=path)


class Case(models.Model):
    number = models.CharField(_("编号"), max_length=20, unique=True, blank=True)
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("问题描述"), max_length=2000)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("类别")
    )
    source = models.CharField(
        _("来源"), max_length=12, choices=CaseSource.choices, default=CaseSource.GRID
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=CaseState.choices, default=CaseState.REPORTED
    )
    tier = models.CharField(_("层级"), max_length=12, choices=Tier.choices)

    area = models.ForeignKey(
        "governance.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("位置")
    )
    area_path = models.CharField(_("区域路径"), max_length=255, editable=False)
    street = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("街道/镇"),
        editable=False,
    )
    community = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("社区"),
        editable=False,
    )
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上报人"),
    )
    contact_name = models.CharField(_("反映人"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("反映人电话"), blank=True, default="")

    is_urgent = models.BooleanField(_("加急"), default=False)
    supervision = models.CharField(
        _("督办"), max_length=10, choices=SupervisionLevel.choices, blank=True, default=""
    )
    # The running deadline: one step at a time, in the database (never a broker message).
    step = models.CharField(_("当前环节"), max_length=8, choices=Step.choices, blank=True)
    step_started_at = models.DateTimeField(_("环节开始"), null=True, blank=True)
    step_days = models.DecimalField(
        _("环节时限（工作日）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    warn_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("办理期限"), null=True, blank=True)
    alert = models.CharField(_("预警"), max_length=8, choices=Alert.choices, blank=True, default="")
    extension_requested_days = models.PositiveSmallIntegerField(
        _("申请延期（工作日）"), null=True, blank=True
    )
    satisfaction = models.CharField(
        _("满意度"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("合并至"),
    )
    created_at = models.DateTimeField(_("上报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["area_path"], name="case_area_path_like", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["area_path", "-created_at"], name="case_path_created"),
            models.Index(fields=["-created_at", "-id"], name="case_created"),
            models.Index(
                fields=["area_path"],
                name="case_open_path",
                opclasses=["varchar_pattern_ops"],
                condition=Q(state__in=sorted(OPEN_STATES)),
            ),
            models.Index(fields=["state", "tier"], name="case_state_tier"),
            models.Index(fields=["street", "state"], name="case_street_state"),
            models.Index(fields=["community", "state"], name="case_community_state"),
            models.Index(
                fields=["warn_at"],
                name="case_warn_pending",
                condition=Q(alert="") & ~Q(step=""),
            ),
            models.Index(
                fields=["due_at"],
                name="case_due_pending",
                condition=Q(alert__in=["", "yellow"]) & ~Q(step=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    COOPERATING = "cooperating", _("协办")


class CaseAssignment(models.Model):
    """One handling unit on a case (协同处置): the lead or a cooperating unit, optionally a
    named person in it, and that unit's own reply."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("事件")
    )
    role = models.CharField(_("承办方式"), max_length=12, choices=AssignmentRole.choices)
    unit_area, department, company = unit_foreign_keys(related_name="case_assignments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("指定承办人"),
    )
    reply = models.TextField(_("办理答复"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("派单时间"), auto_now_add=True)
    ended_at = models.DateTimeField(
        _("结束时间"), null=True, blank=True, help_text=_("回退、呼叫上级或重办时结束。")
    )

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["case", "role", "id"]
        constraints = [
            models.CheckConstraint(condition=one_unit_q(), name="caseassignment_one_unit"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(role="lead", ended_at__isnull=True),
                name="caseassignment_one_lead",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "case"], name="caseassign_dept"),
            models.Index(fields=["company", "case"], name="caseassign_company"),
            models.Index(fields=["unit_area", "case"], name="caseassign_area"),
            # What waits for a unit (the queue): its open assignments, read without the table.
            models.Index(
                fields=["department", "case"],
                name="caseassign_open_dept",
                include=["role", "replied_at"],
                condition=Q(ended_at__isnull=True),
            ),
            models.Index(
                fields=["company", "case"],
                name="caseassign_open_company",
                include=["role", "replied_at"],
                condition=Q(ended_at__isnull=True),
            ),
            models.Index(
                fields=["unit_area", "case"],
                name="caseassign_open_area",
                include=["role", "replied_at"],
                condition=Q(ended_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.unit}"

    @property
    def unit(self) -> Any:
        return unit_of(self)

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class CaseEvent(models.Model):
    """The timeline: one row per transition (who, when, from, to, tier, note, photos)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("事件")
    )
    action = models.CharField(_("操作"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    from_state = models.CharField(_("原状态"), max_length=12, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, choices=CaseState.choices)
    tier = models.CharField(_("层级"), max_length=12, choices=Tier.choices)
    note = models.TextField(_("说明"), blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        from .workflow import ACTION_LABELS

        return str(ACTION_LABELS.get(self.action, self.action))


class CaseAttachment(models.Model):
    """A photo, validated (type, size) and stored through Django's default storage, with a
    thumbnail for the case page."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("事件")
    )
    event = models.ForeignKey(
        CaseEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("办理记录"),
    )
    image = models.ImageField(_("照片"), upload_to="cases/photos/%Y/%m/")
    thumbnail = models.ImageField(_("缩略图"), upload_to="cases/thumbs/%Y/%m/")
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.image.name)


class Supervision(models.Model):
    """督办: ordinary, yellow card or red card, by a level above or by the overdue sweep."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("事件")
    )
    level = models.CharField(_("督办级别"), max_length=10, choices=SupervisionLevel.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("督办人"),
    )
    note = models.CharField(_("督办意见"), max_length=500, blank=True)
    at = models.DateTimeField(_("督办时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_level_display()}"


# --- Notifications ----------------------------------------------------------------------------


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("新派单")
    SENT_BACK = "sent_back", _("回退")
    WARNING = "warning", _("即将超期")
    OVERDUE = "overdue", _("已超期")
    SUPERVISED = "supervised", _("督办")
    ESCALATED = "escalated", _("社区呼叫")
    EXTENSION = "extension", _("延期申请")
    REOPENED = "reopened", _("重新办理")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notification (the bell). ``key`` makes "once per event" a database fact:
    a second sweep or a second worker inserting the same event inserts nothing."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="case_notifications",
        verbose_name=_("接收人"),
    )
    kind = models.CharField(_("类型"), max_length=12, choices=NotificationKind.choices)
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("事件"),
    )
    text = models.CharField(_("内容"), max_length=300)
    key = models.CharField(_("事件键"), max_length=120)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("短信/邮件发送时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once"),
        ]
        indexes = [
            models.Index(
                fields=["recipient"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
        ]

    def __str__(self) -> str:
        return self.text
