"""Community funds (两项经费): per community and year a 社区工作经费 and a 服务群众专项经费
budget, and the spending entries against each. Vouchers are stored outside the public media
URL and served only through a scoped view."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..querysets import FundQuerySet
from ..storage import voucher_storage
from .centres import path_index


class FundKind(models.TextChoices):
    WORK = "work", _("社区工作经费")
    SERVICE = "service", _("服务群众专项经费")


#: The district's standard per urban community and year (提升城市社区两项经费至26万元、8万元):
#: a budget below it is flagged by the rule check.
DISTRICT_STANDARD: dict[str, Decimal] = {
    FundKind.WORK: Decimal("260000"),
    FundKind.SERVICE: Decimal("80000"),
}


class FundBudget(models.Model):
    community = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="fund_budgets",
        verbose_name=_("社区"),
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("经费类别"), max_length=16, choices=FundKind.choices)
    amount = models.DecimalField(
        _("预算（元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("下达人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = _("社区经费预算")
        verbose_name_plural = _("社区经费预算")
        ordering = ["-year", "area_path", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year", "kind"], name="fundbudget_one_per_year"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fundbudget_amount"),
        ]
        indexes = [path_index("fundbudget_area_path")]

    def __str__(self) -> str:
        return f"{self.community} {self.year} {self.get_kind_display()}"

    @property
    def standard(self) -> Decimal:
        return DISTRICT_STANDARD[self.kind]

    @property
    def below_standard(self) -> bool:
        return self.amount < self.standard


class SpendingPurpose(models.TextChoices):
    OPERATIONS = "operations", _("办公运转")
    POSITION = "position", _("阵地建设与维护")
    ACTIVITIES = "activities", _("组织活动")
    SERVICES = "services", _("服务群众项目")
    CARE = "care", _("困难群众关爱")
    TRAINING = "training", _("教育培训")
    OTHER = "other", _("其他")


class FundSpending(models.Model):
    """One payment out of a budget. The service refuses an entry that would take the budget's
    spending past its amount (under a lock on the budget row)."""

    budget = models.ForeignKey(
        FundBudget, on_delete=models.PROTECT, related_name="spendings", verbose_name=_("预算")
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    spent_on = models.DateField(_("支出日期"))
    purpose = models.CharField(_("用途"), max_length=16, choices=SpendingPurpose.choices)
    description = models.CharField(_("事由"), max_length=200)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    voucher_no = models.CharField(_("凭证号"), max_length=40, blank=True)
    voucher = models.FileField(
        _("凭证附件"),
        storage=voucher_storage,
        upload_to="vouchers/%Y/%m/",
        max_length=200,
        blank=True,
    )
    voucher_type = models.CharField(_("附件类型"), max_length=40, blank=True, editable=False)
    approver = models.CharField(_("审批人"), max_length=50)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = _("经费支出")
        verbose_name_plural = _("经费支出")
        ordering = ["-spent_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fundspending_amount")
        ]
        indexes = [
            path_index("fundspending_area_path"),
            models.Index(fields=["budget", "spent_on"], name="fundspending_budget_day"),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on:%Y-%m-%d} {self.description} {self.amount}"
