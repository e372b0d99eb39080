"""Volunteer activities (志愿服务, 品牌公益活动, 宣讲, 党员志愿服务 at a red station, 微课堂): who
organises them, where and when, for whom; the volunteers' sign-ups, check-in and check-out and
the hours the organiser approves; photos; and, for talks, how many residents attended."""

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.models import VulnerableTag, path_index

from ..querysets import ServiceQuerySet
from ..storage import private_storage


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ActivityKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("志愿服务")
    BRAND = "brand", _("品牌公益活动")
    TALK = "talk", _("宣讲")
    STATION = "station", _("党员志愿服务（红色驿站）")
    CLASS = "class", _("微课堂")


#: The kinds the seed report counts as volunteer activities (500+, of which 270+ brand).
VOLUNTEER_KINDS = (ActivityKind.VOLUNTEER, ActivityKind.BRAND)


class ActivityState(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已结项")
    CANCELLED = "cancelled", _("已取消")


class Activity(models.Model):
    title = models.CharField(_("活动名称"), max_length=120)
    kind = models.CharField(_("活动类型"), max_length=10, choices=ActivityKind.choices)
    programme = models.CharField(
        _("品牌项目/宣讲主题"), max_length=60, blank=True, help_text=_("如：情暖万家、防范电信诈骗")
    )
    team = models.ForeignKey(
        "volunteers.VolunteerTeam",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("组织队伍"),
    )
    organiser_unit = models.ForeignKey(
        "governance.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_activities",
        verbose_name=_("组织单位"),
    )
    community = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="volunteer_activities",
        verbose_name=_("所属社区"),
    )
    area_path = models.CharField(max_length=255, editable=False)
    grid = models.ForeignKey(
        "grids.Grid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_activities",
        verbose_name=_("网格"),
    )
    station = models.ForeignKey(
        "grids.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_activities",
        verbose_name=_("红色驿站"),
    )
    place = models.CharField(_("活动地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(_("招募人数"), default=20)
    target_tags = ArrayField(
        models.CharField(max_length=24, choices=VulnerableTag.choices),
        verbose_name=_("服务对象"),
        default=list,
        blank=True,
    )
    residents_served = models.ManyToManyField(
        "governance.Resident", blank=True, related_name="+", verbose_name=_("服务居民")
    )
    served_count = models.PositiveIntegerField(_("服务人次"), default=0)
    attendance_count = models.PositiveIntegerField(
        _("听众人次"), default=0, help_text=_("宣讲：到场听讲的居民人次。")
    )
    description = models.TextField(_("活动内容"), max_length=2000, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=ActivityState.choices, default=ActivityState.PUBLISHED
    )
    signup_token = models.CharField(max_length=48, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿活动")
        verbose_name_plural = _("志愿活动")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="activity_period_ordered"
            ),
        ]
        indexes = [
            path_index("activity_area_path"),
            models.Index(fields=["kind", "-starts_at"], name="activity_kind_start"),
            models.Index(fields=["team", "-starts_at"], name="activity_team_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def length_hours(self) -> float:
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 1)

    def get_target_tags_display(self) -> str:
        labels = dict(VulnerableTag.choices)
        return "、".join(str(labels.get(t, t)) for t in self.target_tags)


class AttendanceState(models.TextChoices):
    SIGNED_UP = "signed_up", _("已报名")
    CHECKED_IN = "checked_in", _("已签到")
    CHECKED_OUT = "checked_out", _("已签退")
    APPROVED = "approved", _("时长已确认")
    ABSENT = "absent", _("缺席")


class SignupChannel(models.TextChoices):
    STAFF = "staff", _("工作人员登记")
    PHONE = "phone", _("手机报名")
    IMPORT = "import", _("批量导入")


class Attendance(models.Model):
    """A volunteer's sign-up for an activity and what came of it. Hours count toward the
    volunteer's total only once the organiser approves them (``approved``)."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("活动")
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("志愿者"),
    )
    area_path = models.CharField(max_length=255, editable=False)
    state = models.CharField(
        _("状态"), max_length=12, choices=AttendanceState.choices, default=AttendanceState.SIGNED_UP
    )
    channel = models.CharField(
        _("报名方式"), max_length=8, choices=SignupChannel.choices, default=SignupChannel.STAFF
    )
    signed_up_at = models.DateTimeField(_("报名时间"))
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=4, decimal_places=1, default=0)
    approved_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("签到记录")
        verbose_name_plural = _("签到记录")
        ordering = ["-signed_up_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "volunteer"], name="attendance_once"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="attendance_hours_not_negative"),
        ]
        indexes = [
            path_index("attendance_area_path"),
            models.Index(fields=["volunteer", "state"], name="attendance_volunteer_state"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} @ {self.activity_id}"


class ActivityPhoto(models.Model):
    """A photo of an activity, outside the public media folder, served by the scoped view."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="photos", verbose_name=_("活动")
    )
    area_path = models.CharField(max_length=255, editable=False)
    file = models.FileField(_("照片"), storage=private_storage, upload_to="activities/%Y/%m/")
    thumbnail = models.FileField(
        _("缩略图"), storage=private_storage, upload_to="activities/%Y/%m/", blank=True
    )
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.file.name or ""
