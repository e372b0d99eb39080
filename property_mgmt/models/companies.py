from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..querysets import ContractQuerySet, EstateQuerySet
from ._base import DateRange, path_index


class Qualification(models.TextChoices):
    LEVEL_1 = "level_1", _("一级资质")
    LEVEL_2 = "level_2", _("二级资质")
    LEVEL_3 = "level_3", _("三级资质")
    NONE = "none", _("不再核定资质（信用评价管理）")


class CompanyProfile(models.Model):
    """What the portal keeps about a property company (``governance.PropertyCompany``) beyond
    its name and credit code: qualification, party organisation, the 红色物业 pilot flag."""

    company = models.OneToOneField(
        "governance.PropertyCompany",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="property_profile",
        verbose_name=_("物业企业"),
    )
    qualification = models.CharField(
        _("资质"), max_length=12, choices=Qualification.choices, blank=True
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    service_phone = models.CharField(_("服务电话"), max_length=30, blank=True)
    party_org = models.ForeignKey(
        "governance.PartyOrg",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("企业党组织"),
    )
    is_red_pilot = models.BooleanField(_("红色物业试点"), default=False)
    red_pilot_since = models.DateField(_("试点起始日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("物业企业档案")
        verbose_name_plural = _("物业企业档案")

    def __str__(self) -> str:
        return str(self.company)


class CompanyContact(models.Model):
    """A contact person of a company (项目经理, 客服主管 …): business contacts, not residents."""

    company = models.ForeignKey(
        "governance.PropertyCompany",
        on_delete=models.CASCADE,
        related_name="property_contacts",
        verbose_name=_("物业企业"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    class Meta:
        verbose_name = _("企业联系人")
        verbose_name_plural = _("企业联系人")
        ordering = ["company", "-is_primary", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.post}".strip()


class ContractKind(models.TextChoices):
    COMPANY = "company", _("物业企业")
    SELF = "self", _("业主自管")
    FALLBACK = "fallback", _("社区托管/兜底")


class FeeLevel(models.TextChoices):
    """服务等级 of the province's residential property service standard."""

    LEVEL_1 = "1", _("一级")
    LEVEL_2 = "2", _("二级")
    LEVEL_3 = "3", _("三级")
    LEVEL_4 = "4", _("四级")
    LEVEL_5 = "5", _("五级")


class ServiceContract(models.Model):
    """Who serves a residential area, from when to when. Two contracts of one area never
    overlap (an exclusion constraint; the service checks first to give a clear message)."""

    area = models.ForeignKey(
        "governance.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("小区")
    )
    area_path = models.CharField(_("小区路径"), max_length=255, editable=False)
    kind = models.CharField(
        _("服务方式"), max_length=10, choices=ContractKind.choices, default=ContractKind.COMPANY
    )
    company = models.ForeignKey(
        "governance.PropertyCompany",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_contracts",
        verbose_name=_("物业企业"),
    )
    number = models.CharField(_("合同编号"), max_length=40, blank=True)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("终止日期"))
    fee_level = models.CharField(_("收费等级"), max_length=2, choices=FeeLevel.choices, blank=True)
    fee_per_sqm = models.DecimalField(
        _("物业费（元/㎡·月）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    terminated_on = models.DateField(_("提前终止日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("物业服务合同")
        verbose_name_plural = _("物业服务合同")
        ordering = ["area_path", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="contract_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind="company", company__isnull=False)
                | (~Q(kind="company") & Q(company__isnull=True)),
                name="contract_company_iff_kind",
            ),
            ExclusionConstraint(
                name="contract_no_overlap",
                expressions=[
                    ("area", RangeOperators.EQUAL),
                    (DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("该小区在这段时间已有物业服务合同，时间不能重叠。"),
            ),
        ]
        indexes = [
            path_index("contract_area_path"),
            models.Index(fields=["company", "ends_on"], name="contract_company_end"),
        ]

    def __str__(self) -> str:
        who = self.company.name if self.company_id and self.company else self.get_kind_display()
        return f"{who} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"

    def is_valid_on(self, day: object) -> bool:
        return bool(self.starts_on <= day <= self.ends_on)  # type: ignore[operator]


class EstateProfile(models.Model):
    """A residential area's facts for 红色物业: its competent department (主管部门, e.g. for
    a former work-unit compound), whether it is an old estate (老旧小区)."""

    area = models.OneToOneField(
        "governance.Area",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="property_estate",
        verbose_name=_("小区"),
    )
    area_path = models.CharField(_("小区路径"), max_length=255, editable=False)
    competent_department = models.ForeignKey(
        "governance.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("主管部门"),
    )
    is_old_estate = models.BooleanField(_("老旧小区"), default=False)
    built_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    objects = EstateQuerySet.as_manager()

    class Meta:
        verbose_name = _("小区物业档案")
        verbose_name_plural = _("小区物业档案")
        indexes = [path_index("estateprofile_area_path")]

    def __str__(self) -> str:
        return str(self.area)
