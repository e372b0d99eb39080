"""单位报到: a unit checks in at a community for a year, offers resources and signs a
co-building agreement (共驻共建协议)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import EncryptedCharField, mask_phone
from governance.models import path_index

from ..querysets import DepartmentRowQuerySet, UnitCheckInQuerySet


class UnitType(models.TextChoices):
    AGENCY = "agency", _("党政机关")
    INSTITUTION = "institution", _("事业单位")
    ENTERPRISE = "enterprise", _("企业")
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    OTHER = "other", _("其他单位")


class CheckInState(models.TextChoices):
    PENDING = "pending", _("待社区确认")
    CONFIRMED = "confirmed", _("已确认")
    WITHDRAWN = "withdrawn", _("已撤回")


class UnitCheckIn(models.Model):
    """One unit at one community for one year. A second check-in of the same unit at the same
    community for the same year is refused (the partial unique constraint backs the service)."""

    department = models.ForeignKey(
        "governance.Department",
        on_delete=models.PROTECT,
        related_name="checkins",
        verbose_name=_("报到单位"),
    )
    unit_type = models.CharField(
        _("单位类型"), max_length=16, choices=UnitType.choices, default=UnitType.AGENCY
    )
    community = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="unit_checkins",
        verbose_name=_("报到社区"),
    )
    area_path = models.CharField(max_length=255, editable=False)
    year = models.PositiveSmallIntegerField(_("报到年度"))
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = EncryptedCharField(_("联系电话"), blank=True)
    commitments = models.TextField(_("服务承诺"), max_length=2000, blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=CheckInState.choices, default=CheckInState.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = UnitCheckInQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位报到")
        verbose_name_plural = _("单位报到")
        ordering = ["-year", "area_path", "department_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "community", "year"],
                condition=~Q(state="withdrawn"),
                name="unitcheckin_once_a_year",
            ),
        ]
        indexes = [
            path_index("unitcheckin_area_path"),
            models.Index(fields=["year", "state"], name="unitcheckin_year_state"),
        ]

    def __str__(self) -> str:
        department = self._state.fields_cache.get("department")
        community = self._state.fields_cache.get("community")
        if department is None or community is None:
            return f"{self.year} #{self.pk}"
        return f"{department.name} → {community.name}（{self.year}）"

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)


class CoBuildAgreement(models.Model):
    """共驻共建协议 of a check-in: what the unit and the community agree to, and its term."""

    checkin = models.OneToOneField(
        UnitCheckIn, on_delete=models.CASCADE, related_name="agreement", verbose_name=_("报到")
    )
    department = models.ForeignKey(
        "governance.Department", on_delete=models.PROTECT, related_name="+", editable=False
    )
    area_path = models.CharField(max_length=255, editable=False)
    number = models.CharField(_("协议编号"), max_length=40, unique=True)
    signed_on = models.DateField(_("签订日期"))
    starts_on = models.DateField(_("协议起始日"))
    ends_on = models.DateField(_("协议终止日"))
    terms = models.TextField(_("协议内容"), max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = DepartmentRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("共驻共建协议")
        verbose_name_plural = _("共驻共建协议")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="agreement_term_ordered"
            ),
        ]
        indexes = [path_index("agreement_area_path")]

    def __str__(self) -> str:
        return self.number


class ResourceKind(models.TextChoices):
    PEOPLE = "people", _("人力")
    VENUE = "venue", _("场地")
    FUNDS = "funds", _("资金")
    SKILLS = "skills", _("技能")
    EQUIPMENT = "equipment", _("设备物资")


class Resource(models.Model):
    """One entry of a unit's resources list (资源清单) at a community."""

    checkin = models.ForeignKey(
        UnitCheckIn, on_delete=models.CASCADE, related_name="resources", verbose_name=_("报到")
    )
    department = models.ForeignKey(
        "governance.Department",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("单位"),
    )
    area_path = models.CharField(max_length=255, editable=False)
    kind = models.CharField(_("资源类别"), max_length=12, choices=ResourceKind.choices)
    name = models.CharField(_("资源名称"), max_length=100)
    quantity = models.DecimalField(
        _("数量"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("计量单位"), max_length=12, blank=True)
    description = models.CharField(_("说明"), max_length=500, blank=True)
    is_available = models.BooleanField(_("可提供"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = DepartmentRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("资源清单")
        verbose_name_plural = _("资源清单")
        ordering = ["area_path", "kind", "id"]
        indexes = [path_index("resource_area_path")]

    def __str__(self) -> str:
        return self.name
