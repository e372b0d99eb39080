"""党员个人报到: an in-service party member (a ``PartyMember``, or a cadre not in the local
ledger) registers at the community where they live, chooses service areas and a grid, takes
on tasks, and gets the community's year-end feedback (社区反馈) for their employer."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import EncryptedCharField, mask_phone
from governance.models import path_index

from ..querysets import MemberCheckInQuerySet, MemberTaskQuerySet, YearFeedbackQuerySet


class ServiceArea(models.TextChoices):
    POLICY = "policy", _("政策宣传")
    ENVIRONMENT = "environment", _("环境整治")
    CIVILITY = "civility", _("文明实践")
    HARDSHIP = "hardship", _("帮困解难")
    PATROL = "patrol", _("平安巡逻")
    MEDIATION = "mediation", _("矛盾调解")
    CULTURE = "culture", _("文体活动")
    EPIDEMIC = "epidemic", _("疫情防控")
    ELDERLY = "elderly", _("关爱老人")
    CHILDREN = "children", _("关爱儿童")


class MemberCheckIn(models.Model):
    """A member's check-in at their home community. ``person_key`` names the person (the
    ledger member, else the phone's keyed hash); a person is checked in at one community at a
    time: the partial unique constraint refuses a second open check-in, also in a race."""

    party_member = models.ForeignKey(
        "governance.PartyMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkins",
        verbose_name=_("党员（台账）"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    employer = models.CharField(_("工作单位"), max_length=120)
    employer_department = models.ForeignKey(
        "governance.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member_checkins",
        verbose_name=_("工作单位（区直部门）"),
    )
    branch = models.CharField(_("所在党支部"), max_length=120, blank=True)
    phone = EncryptedCharField(_("手机号"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    person_key = models.CharField(max_length=80, editable=False)
    community = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="member_checkins",
        verbose_name=_("报到社区"),
    )
    area_path = models.CharField(max_length=255, editable=False)
    grid = models.ForeignKey(
        "grids.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member_checkins",
        verbose_name=_("认领网格"),
    )
    service_areas = ArrayField(
        models.CharField(max_length=16, choices=ServiceArea.choices),
        verbose_name=_("服务领域"),
        default=list,
        blank=True,
    )
    registered_on = models.DateField(_("报到日期"))
    ended_on = models.DateField(_("转出日期"), null=True, blank=True)
    access_token = models.CharField(max_length=48, unique=True, editable=False)
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

    objects = MemberCheckInQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员报到")
        verbose_name_plural = _("党员报到")
        ordering = ["area_path", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person_key"],
                condition=Q(ended_on__isnull=True),
                name="membercheckin_one_community",
            ),
        ]
        indexes = [
            path_index("membercheckin_area_path"),
            models.Index(fields=["employer", "id"], name="membercheckin_employer"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    def get_service_areas_display(self) -> list[str]:
        labels = dict(ServiceArea.choices)
        return [str(labels.get(value, value)) for value in self.service_areas]


class TaskKind(models.TextChoices):
    POST = "post", _("服务岗位")
    WISH = "wish", _("微心愿")
    SHIFT = "shift", _("专项行动值守")
    OTHER = "other", _("其他任务")


class TaskState(models.TextChoices):
    ASSIGNED = "assigned", _("待完成")
    DONE = "done", _("已完成")
    MISSED = "missed", _("未参加")


class MemberTask(models.Model):
    """A task a checked-in member takes on: a service post, a wish, a campaign shift."""

    checkin = models.ForeignKey(
        MemberCheckIn, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("党员报到")
    )
    area_path = models.CharField(max_length=255, editable=False)
    kind = models.CharField(_("任务类别"), max_length=8, choices=TaskKind.choices)
    title = models.CharField(_("任务"), max_length=120)
    scheduled_on = models.DateField(_("日期"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=5, decimal_places=1, default=0)
    state = models.CharField(
        _("状态"), max_length=10, choices=TaskState.choices, default=TaskState.ASSIGNED
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("派发人"),
    )
    created_at = models.DateTimeField(_("派发时间"), auto_now_add=True)

    objects = MemberTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员任务")
        verbose_name_plural = _("党员任务")
        ordering = ["scheduled_on", "id"]
        indexes = [
            models.Index(fields=["checkin", "scheduled_on"], name="membertask_checkin_day"),
            path_index("membertask_area_path"),
        ]

    def __str__(self) -> str:
        return self.title


class Assessment(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class YearFeedback(models.Model):
    """社区反馈: a member's year at the community, as the employer's appraisal reads it.
    Participations and hours are counted from the member's completed tasks of the year."""

    checkin = models.ForeignKey(
        MemberCheckIn,
        on_delete=models.CASCADE,
        related_name="feedbacks",
        verbose_name=_("党员报到"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    area_path = models.CharField(max_length=255, editable=False)
    employer = models.CharField(_("工作单位"), max_length=120)
    employer_department = models.ForeignKey(
        "governance.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    participations = models.PositiveIntegerField(_("参加活动次数"), default=0)
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=7, decimal_places=1, default=0)
    assessment = models.CharField(_("社区评价"), max_length=12, choices=Assessment.choices)
    comment = models.CharField(_("评语"), max_length=500, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("评价人"),
    )
    assessed_at = models.DateTimeField(_("评价时间"), auto_now=True)

    objects = YearFeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度反馈")
        verbose_name_plural = _("年度反馈")
        ordering = ["-year", "employer", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "year"], name="yearfeedback_once"),
        ]
        indexes = [
            models.Index(fields=["year", "employer"], name="yearfeedback_employer"),
            path_index("yearfeedback_area_path"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.checkin_id}"
