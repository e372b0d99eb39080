"""The case and its handling units. A case stores its area path, street and community so that
subtree lists and counts are one indexed range scan and never walk the area tree."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import EncryptedCharField
from accounts.scoping import Scope, ScopedQuerySet, any_of
from common.units import one_unit_q, unit_foreign_keys, unit_of

from .categories import Category
from .choices import (
    OPEN_STATES,
    Alert,
    AssignmentRole,
    CaseSource,
    CaseState,
    Satisfaction,
    Step,
    SupervisionLevel,
    Tier,
)

IN_PROGRESS = Q(state=CaseState.IN_PROGRESS)


class CaseQuerySet(ScopedQuerySet["Case"]):
    """Area grants see the cases of their subtree; a department liaison or property staff
    member sees the cases ever assigned to their unit: an overlap with the case's own list of
    the units it was assigned to (``Case.assigned_departments``, kept by the database), read
    from a GIN index, never a semi-join over every assignment the unit ever had."""

    scope_area_path = "area_path"

    def scope_condition(self, scope: Scope) -> Q | None:
        parts: list[Q] = []
        area_condition = super().scope_condition(scope)
        if area_condition is not None:
            parts.append(area_condition)
        departments = scope.department_ids(self.scope_roles)
        if departments:
            parts.append(Q(assigned_departments__overlap=sorted(departments)))
        companies = scope.company_ids(self.scope_roles)
        if companies:
            parts.append(Q(assigned_companies__overlap=sorted(companies)))
        return any_of(parts)

    def open(self) -> CaseQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def within(self, path: str) -> CaseQuerySet:
        return self.filter(area_path__startswith=path)


def _unit_ids(label: Any) -> ArrayField[Any, Any]:
    return ArrayField(
        models.BigIntegerField(), verbose_name=label, default=list, blank=True, editable=False
    )


def search_bigrams() -> Func:
    """The case's searchable text (title and address) as the set of its upper-cased character
    pairs: SQL function ``cases_search_bigrams`` (migration 0009), GIN-indexed. Chinese words
    are mostly two characters, too short for pg_trgm's trigrams; a pair index finds them, and
    the ``icontains`` that follows checks the rows it finds (cases.selectors.text_condition)."""
    return Func(
        F("title"),
        F("address"),
        function="cases_search_bigrams",
        output_field=ArrayField(models.TextField()),
    )


#: The case's columns that name what it waits for (see ``Case.handling_departments``).
HANDLING_FIELDS = (
    "handling_departments",
    "handling_companies",
    "handling_areas",
    "handling_persons",
)

#: The case's columns that name every unit it was ever assigned to
#: (see ``Case.assigned_departments``).
ASSIGNED_FIELDS = ("assigned_departments", "assigned_companies")


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
    # The units (and named persons) the case waits for while in progress: the lead unit, and
    # each cooperating unit until it replies. A copy of the active assignments, kept by the
    # transition services (cases.services.handlers) so that a unit's queue is one lookup in a
    # small partial GIN index instead of a walk through every assignment the unit ever had.
    handling_departments = _unit_ids(_("待办区直部门"))
    handling_companies = _unit_ids(_("待办物业企业"))
    handling_areas = _unit_ids(_("待办街道/社区"))
    handling_persons = _unit_ids(_("待办承办人"))
    # Every department and company ever assigned to the case, never removed: who may see it
    # (``CaseQuerySet.scope_condition``), one overlap in a GIN index instead of a semi-join
    # over all the unit's assignments. Kept by the database itself (migration 0012's triggers:
    # each assignment adds its unit; an update of the case can add, never take away).
    assigned_departments = _unit_ids(_("承办过的区直部门"))
    assigned_companies = _unit_ids(_("承办过的物业企业"))
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
            *(
                GinIndex(fields=[name], name=f"case_waiting_{name[9:]}", condition=IN_PROGRESS)
                for name in HANDLING_FIELDS
            ),
            *(
                index
                for name in ASSIGNED_FIELDS
                for index in (
                    GinIndex(fields=[name], name=f"case_{name}"),
                    GinIndex(
                        fields=[name],
                        name=f"case_open_{name}",
                        condition=Q(state__in=sorted(OPEN_STATES)),
                    ),
                )
            ),
            # 全文检索: character pairs of title and address (the number's prefix and suffix
            # indexes, case_number_prefix and case_number_suffix, are migration 0009's SQL).
            GinIndex(search_bigrams(), name="case_search_bigrams"),
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
        _("结束时间"),
        null=True,
        blank=True,
        help_text=_("办结时结束；回退、呼叫上级或重办时也结束。"),
    )
    #: Ended by the case's resolution (办结: the unit's work is the case's result), not released
    #: (回退, 呼叫上级, 重新办理). The dashboards count a case for its active or completed lead.
    completed = models.BooleanField(_("已办结"), default=False)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["case", "role", "id"]
        constraints = [
            models.CheckConstraint(condition=one_unit_q(), name="caseassignment_one_unit"),
            # One lead of record: the active one, or the one that completed the case.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(role="lead") & (Q(ended_at__isnull=True) | Q(completed=True)),
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
