"""社区治理服务积分: points earned by rules (per approved hour, per fulfilled wish, per project
role), an append-only ledger whose every row carries the balance after it, and the points shop
(积分超市) with its stock and redemptions. The balance is never negative and one attendance or
one wish is awarded once (unique constraints, so also under a race)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.models import path_index

from ..querysets import ServiceQuerySet


class PointsReason(models.TextChoices):
    HOURS = "hours", _("志愿服务时长")
    WISH = "wish", _("认领实现微心愿")
    PROJECT_ROLE = "project_role", _("共建项目骨干")
    REDEEM = "redeem", _("积分兑换")
    ADJUST = "adjust", _("调整")


class PointsRule(models.Model):
    """How many points a reason earns: per hour of approved service, per fulfilled wish, per
    project role. Kept in the admin; a missing rule falls back to ``RULE_DEFAULTS``."""

    reason = models.CharField(
        _("积分事项"), max_length=16, choices=PointsReason.choices, unique=True
    )
    points = models.PositiveIntegerField(_("积分"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["reason"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.points}"


RULE_DEFAULTS: dict[str, int] = {
    PointsReason.HOURS: 10,
    PointsReason.WISH: 20,
    PointsReason.PROJECT_ROLE: 30,
}


class PointsEntry(models.Model):
    """One row of a volunteer's points ledger. Rows are never changed or deleted (a database
    trigger refuses it); ``balance`` is the volunteer's balance after this row."""

    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.PROTECT,
        related_name="points_entries",
        verbose_name=_("志愿者"),
    )
    area_path = models.CharField(max_length=255, editable=False)
    reason = models.CharField(_("事项"), max_length=16, choices=PointsReason.choices)
    delta = models.IntegerField(_("积分变动"))
    balance = models.IntegerField(_("余额"))
    attendance = models.ForeignKey(
        "volunteers.Attendance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points_entries",
        verbose_name=_("签到记录"),
    )
    wish = models.ForeignKey(
        "volunteers.Wish",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points_entries",
        verbose_name=_("微心愿"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("积分明细")
        verbose_name_plural = _("积分明细")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="points_balance_not_negative"),
            models.CheckConstraint(condition=~Q(delta=0), name="points_delta_not_zero"),
            models.UniqueConstraint(
                fields=["attendance"],
                condition=Q(reason="hours"),
                name="points_once_per_attendance",
            ),
            models.UniqueConstraint(
                fields=["wish"], condition=Q(reason="wish"), name="points_once_per_wish"
            ),
        ]
        indexes = [
            path_index("points_area_path"),
            models.Index(fields=["volunteer", "-created_at"], name="points_volunteer_time"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.delta:+d}"


class ShopItem(models.Model):
    community = models.ForeignKey(
        "governance.Area", on_delete=models.PROTECT, related_name="shop_items",
        verbose_name=_("所属社区"),
    )  # fmt: skip
    area_path = models.CharField(max_length=255, editable=False)
    name = models.CharField(_("物品名称"), max_length=100)
    points = models.PositiveIntegerField(_("所需积分"))
    stock = models.PositiveIntegerField(_("库存"))
    is_active = models.BooleanField(_("上架"), default=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("积分超市物品")
        verbose_name_plural = _("积分超市物品")
        ordering = ["area_path", "points", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="shop_item_unique"),
            models.CheckConstraint(condition=Q(points__gt=0), name="shop_item_costs_points"),
        ]
        indexes = [path_index("shop_item_area_path")]

    def __str__(self) -> str:
        return self.name


class Redemption(models.Model):
    item = models.ForeignKey(
        ShopItem, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("物品")
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.PROTECT, related_name="redemptions",
        verbose_name=_("志愿者"),
    )  # fmt: skip
    area_path = models.CharField(max_length=255, editable=False)
    quantity = models.PositiveSmallIntegerField(_("数量"), default=1)
    points = models.PositiveIntegerField(_("消耗积分"))
    entry = models.OneToOneField(
        PointsEntry, on_delete=models.PROTECT, related_name="redemption", verbose_name=_("积分明细")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("经办人"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("兑换时间"), auto_now_add=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("兑换记录")
        verbose_name_plural = _("兑换记录")
        ordering = ["-created_at", "-id"]
        indexes = [path_index("redemption_area_path")]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity}"
