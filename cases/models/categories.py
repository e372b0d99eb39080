"""Case categories, their time limits per tier, and the routing rules that pick a default
handling unit."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.units import one_unit_q, unit_foreign_keys, unit_of

from .choices import Tier


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
