"""专项行动: a time-boxed mobilisation (e.g. 进网格、战疫情) into target grids, with shifts per
grid, day and duty, and the sign-ups of members, cadres and volunteers."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import EncryptedCharField, mask_phone
from governance.models import path_index

from ..querysets import CampaignQuerySet, CampaignRowQuerySet


class Campaign(models.Model):
    area = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("组织单位（区域）"),
    )
    area_path = models.CharField(max_length=255, editable=False)
    title = models.CharField(_("行动名称"), max_length=100)
    description = models.TextField(_("行动内容"), max_length=2000, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    target_grids = models.ManyToManyField(
        "grids.Grid", related_name="campaigns", verbose_name=_("目标网格")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_period_ordered"
            ),
        ]
        indexes = [path_index("campaign_area_path")]

    def __str__(self) -> str:
        return self.title


class CampaignDuty(models.TextChoices):
    PUBLICITY = "publicity", _("宣传")
    SCREENING = "screening", _("排查")
    SUPPLIES = "supplies", _("物资")
    TESTING_POST = "testing_post", _("检测点值守")


class CampaignShift(models.Model):
    """One duty in one target grid on one day, from a time to a time, for up to ``capacity``
    people."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("专项行动")
    )
    grid = models.ForeignKey(
        "grids.Grid",
        on_delete=models.PROTECT,
        related_name="campaign_shifts",
        verbose_name=_("网格"),
    )
    area_path = models.CharField(max_length=255, editable=False)
    duty = models.CharField(_("任务"), max_length=16, choices=CampaignDuty.choices)
    day = models.DateField(_("日期"))
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(_("人数上限"), default=10)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = CampaignRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("值守班次")
        verbose_name_plural = _("值守班次")
        ordering = ["day", "starts_at", "grid_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_ordered"),
        ]
        indexes = [
            models.Index(fields=["campaign", "day"], name="shift_campaign_day"),
            path_index("shift_area_path"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.get_duty_display()}"

    @property
    def hours(self) -> float:
        minutes = (self.ends_at.hour * 60 + self.ends_at.minute) - (
            self.starts_at.hour * 60 + self.starts_at.minute
        )
        return round(minutes / 60, 1)


class PersonKind(models.TextChoices):
    MEMBER = "member", _("在职党员")
    CADRE = "cadre", _("机关干部")
    VOLUNTEER = "volunteer", _("志愿者")


class CampaignPerson(models.Model):
    """Someone a campaign mobilised: a checked-in member, a cadre or a volunteer, counted once
    however many shifts they take (``person_key``: the member's key, else the phone's hash)."""

    kind = models.CharField(_("身份"), max_length=10, choices=PersonKind.choices)
    name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedCharField(_("手机号"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    person_key = models.CharField(max_length=80, unique=True, editable=False)
    member_checkin = models.ForeignKey(
        "volunteers.MemberCheckIn",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_people",
        verbose_name=_("党员报到"),
    )
    employer = models.CharField(_("工作单位"), max_length=120, blank=True)
    area_path = models.CharField(max_length=255, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = CampaignRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("参与人员")
        verbose_name_plural = _("参与人员")
        ordering = ["name", "id"]
        indexes = [path_index("campaignperson_area_path")]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class CampaignSignup(models.Model):
    """A person on a shift; ``hours`` are counted once attendance is recorded."""

    shift = models.ForeignKey(
        CampaignShift, on_delete=models.CASCADE, related_name="signups", verbose_name=_("班次")
    )
    person = models.ForeignKey(
        CampaignPerson, on_delete=models.PROTECT, related_name="signups", verbose_name=_("人员")
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="signups", editable=False
    )
    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", editable=False
    )
    day = models.DateField(_("日期"), editable=False)
    area_path = models.CharField(max_length=255, editable=False)
    attended = models.BooleanField(_("到岗"), null=True, blank=True)
    hours = models.DecimalField(_("时长（小时）"), max_digits=4, decimal_places=1, default=0)
    task = models.OneToOneField(
        "volunteers.MemberTask",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signup",
        verbose_name=_("党员任务"),
    )
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)

    objects = CampaignRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "person"], name="signup_once_per_shift"),
        ]
        indexes = [
            models.Index(fields=["campaign", "grid", "day"], name="signup_campaign_grid_day"),
            models.Index(fields=["campaign", "person"], name="signup_campaign_person"),
            path_index("signup_area_path"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.shift_id}"
