"""Dashboards: the case rollups and the appraisal weights.

The rollups are kept by PostgreSQL triggers (migration 0004), in the same transaction as every
write to ``cases_case``, ``cases_caseevent`` and ``cases_caseassignment``, whoever makes it
(the case services, the overdue sweep, an area move, a bulk load): the cases app does not know
they exist. Three tables:

* :class:`CaseFact`, one row per case: the dimensions the dashboards count by, copied from the
  case, plus what the case row does not hold (ever escalated, ever overdue, the current lead
  unit, the handling time in working days);
* :class:`CaseRollup`, counters per month × street × community × facet (state, tier,
  category, source, lead unit, reporter, handling-time bucket) with one column per measure;
* :class:`CaseRollupDelta`, the journal: each change of a fact appends signed rows here
  (appends never wait for one another), and a beat task folds them into the rollup every
  minute. A dashboard reads rollup and journal together in one statement, so its figures are
  exact whether or not the fold has run. Statements that change many facts at once (a bulk
  load, a rebuild) fold straight into the rollup.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: The measures of a rollup row, in column order (``handling_seconds`` is a sum, not a count).
MEASURES = (
    "n",
    "open",
    "overdue_now",
    "yellow_now",
    "overdue_ever",
    "closed",
    "on_time",
    "rated",
    "satisfied",
    "reopened",
    "escalated",
    "supervised",
    "sup_yellow",
    "sup_red",
    "urgent",
    "handled",
)


class Facet(models.TextChoices):
    STATE = "state", _("状态")
    TIER = "tier", _("层级")
    CATEGORY = "category", _("类别")
    SOURCE = "source", _("来源")
    UNIT = "unit", _("承办单位")
    REPORTER = "reporter", _("上报人")
    HANDLING = "handling", _("办理用时")


class CaseFact(models.Model):
    """One case as the dashboards count it. Written only by the triggers; a row whose
    ``month`` is empty holds flags of a case row not yet inserted (a bulk load may write a
    case's events before the case)."""

    case_id = models.BigIntegerField(primary_key=True)
    month = models.DateField(null=True)
    street_id = models.BigIntegerField(null=True)
    community_id = models.BigIntegerField(null=True)
    category_id = models.BigIntegerField(null=True)
    reporter_id = models.BigIntegerField(null=True)
    source = models.CharField(max_length=12, default="")
    state = models.CharField(max_length=12, default="")
    tier = models.CharField(max_length=12, default="")
    alert = models.CharField(max_length=8, default="")
    supervision = models.CharField(max_length=10, default="")
    satisfaction = models.CharField(max_length=12, default="")
    is_urgent = models.BooleanField(default=False)
    reopened = models.BooleanField(default=False)
    #: Working time from report to resolution (seconds of working days), empty until resolved.
    handling_seconds = models.DecimalField(max_digits=20, decimal_places=6, null=True)
    escalated = models.BooleanField(default=False)
    overdue_ever = models.BooleanField(default=False)
    lead_id = models.BigIntegerField(null=True)
    #: "department:<id>", "company:<id>", "area:<id>" or "" (no active lead assignment).
    lead_unit = models.CharField(max_length=40, default="")

    class Meta:
        verbose_name = _("事件统计事实")
        verbose_name_plural = _("事件统计事实")
        indexes = [
            models.Index(fields=["community_id", "month"], name="casefact_community_month"),
            models.Index(fields=["street_id", "month"], name="casefact_street_month"),
            models.Index(fields=["month"], name="casefact_month"),
            models.Index(fields=["lead_unit", "month"], name="casefact_unit_month"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.month} {self.state}"


class RollupColumns(models.Model):
    month = models.DateField()
    street_id = models.BigIntegerField()
    community_id = models.BigIntegerField()
    facet = models.CharField(max_length=12, choices=Facet.choices)
    value = models.CharField(max_length=40)
    n = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    overdue_now = models.IntegerField(default=0)
    yellow_now = models.IntegerField(default=0)
    overdue_ever = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)
    supervised = models.IntegerField(default=0)
    sup_yellow = models.IntegerField(default=0)
    sup_red = models.IntegerField(default=0)
    urgent = models.IntegerField(default=0)
    handled = models.IntegerField(default=0)
    handling_seconds = models.DecimalField(max_digits=24, decimal_places=6, default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.community_id} {self.facet}={self.value}: {self.n}"


class CaseRollup(RollupColumns):
    class Meta:
        verbose_name = _("事件统计汇总")
        verbose_name_plural = _("事件统计汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "month", "street_id", "community_id", "value"],
                name="caserollup_key",
            )
        ]
        indexes = [
            models.Index(fields=["street_id", "facet", "month"], name="caserollup_street"),
            models.Index(fields=["community_id", "facet", "month"], name="caserollup_community"),
            models.Index(fields=["id"], name="caserollup_empty", condition=Q(n=0)),
        ]


class CaseRollupDelta(RollupColumns):
    class Meta:
        verbose_name = _("事件统计增量")
        verbose_name_plural = _("事件统计增量")


# --- Appraisal ----------------------------------------------------------------------------------


class AppraisalSubject(models.TextChoices):
    AREAS = "areas", _("街道和社区")
    DEPARTMENTS = "departments", _("区直部门和物业企业")
    GRID_WORKERS = "grid_workers", _("网格员")


def _weight(label: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=0, validators=[MaxValueValidator(100)], help_text=_("0–100，0 表示不计入")
    )


class AppraisalWeights(models.Model):
    """The weights of the published appraisal formula (考核排名), one row per subject, kept by
    the district admin. The score of a unit is the weighted mean of its normalised inputs."""

    subject = models.CharField(
        _("考核对象"), max_length=16, choices=AppraisalSubject.choices, unique=True
    )
    on_time = _weight(_("按期办结率权重"))
    satisfaction = _weight(_("满意率权重"))
    reopen = _weight(_("未重办率权重"))
    overdue = _weight(_("未超期率权重"))
    visits = _weight(_("人均走访权重"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("更新人"),
    )

    class Meta:
        verbose_name = _("考核权重")
        verbose_name_plural = _("考核权重")
        ordering = ["subject"]
        constraints = [
            models.CheckConstraint(
                condition=Q(on_time__gt=0)
                | Q(satisfaction__gt=0)
                | Q(reopen__gt=0)
                | Q(overdue__gt=0)
                | Q(visits__gt=0),
                name="appraisalweights_some_weight",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_subject_display())
