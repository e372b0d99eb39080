from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import private_storage
from common.units import one_unit_q, unit_foreign_keys, unit_of

from ..querysets import MeetingQuerySet, ResolutionQuerySet
from ._base import path_index


class MeetingKind(models.TextChoices):
    JOINT = "joint", _("1+3+N 联席会议")
    HEARING = "hearing", _("恳谈会")
    COORDINATION = "coordination", _("协调会")


class CouncilMeeting(models.Model):
    """A meeting convened by the community party organisation with the owners' committee, the
    property company, departments and the N (residents' representatives, police, …)."""

    community = models.ForeignKey(
        "governance.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    kind = models.CharField(_("会议类型"), max_length=14, choices=MeetingKind.choices)
    title = models.CharField(_("会议主题"), max_length=120)
    held_at = models.DateTimeField(_("召开时间"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    convened_by = models.ForeignKey(
        "governance.PartyOrg",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("召集党组织"),
    )
    estates = models.ManyToManyField(
        "governance.Area", blank=True, related_name="+", verbose_name=_("涉及小区")
    )
    minutes = models.TextField(_("会议纪要"), max_length=5000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("议事会议")
        verbose_name_plural = _("议事会议")
        ordering = ["-held_at", "-id"]
        indexes = [
            path_index("meeting_area_path"),
            models.Index(fields=["-held_at", "-id"], name="meeting_held"),
        ]

    def __str__(self) -> str:
        return f"{self.held_at:%Y-%m-%d} {self.title}"


class AttendeeSide(models.TextChoices):
    COMMUNITY_ORG = "community_org", _("社区党组织")
    OWNERS_COMMITTEE = "owners_committee", _("业主委员会")
    COMPANY = "company", _("物业企业")
    DEPARTMENT = "department", _("区直部门")
    RESIDENTS = "residents", _("居民代表")
    POLICE = "police", _("社区民警")
    OTHER = "other", _("其他")


class MeetingAttendee(models.Model):
    meeting = models.ForeignKey(
        CouncilMeeting, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("会议")
    )
    side = models.CharField(_("参会方"), max_length=18, choices=AttendeeSide.choices)
    name = models.CharField(_("姓名"), max_length=50)
    organisation = models.CharField(_("单位"), max_length=100, blank=True)
    company = models.ForeignKey(
        "governance.PropertyCompany",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("物业企业"),
    )
    department = models.ForeignKey(
        "governance.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("区直部门"),
    )
    committee = models.ForeignKey(
        "property_mgmt.OwnersCommittee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("业主委员会"),
    )

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["meeting", "side", "id"]
        indexes = [
            models.Index(fields=["company", "meeting"], name="attendee_company"),
            models.Index(fields=["department", "meeting"], name="attendee_department"),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.name}"


class AgendaItem(models.Model):
    """One item of a meeting; it may open a case or link an existing one."""

    meeting = models.ForeignKey(
        CouncilMeeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("会议")
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=120)
    description = models.TextField(_("内容"), max_length=2000, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("关联事件"),
    )
    opened_case = models.BooleanField(_("由本议题立案"), default=False)
    outcome = models.CharField(_("议定结果"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class ResolutionState(models.TextChoices):
    OPEN = "open", _("待落实")
    IN_PROGRESS = "in_progress", _("落实中")
    DONE = "done", _("已落实")
    CANCELLED = "cancelled", _("已撤销")


class Resolution(models.Model):
    """A decision of a meeting with an owner unit and a due date, followed to done. The
    deadline is counted on the work calendar (``cases.calendar``)."""

    meeting = models.ForeignKey(
        CouncilMeeting,
        on_delete=models.CASCADE,
        related_name="resolutions",
        verbose_name=_("会议"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resolutions",
        verbose_name=_("议题"),
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    text = models.CharField(_("决议事项"), max_length=500)
    unit_area, department, company = unit_foreign_keys(
        related_name="council_resolutions",
        labels=(_("责任街道/社区"), _("责任部门"), _("责任物业企业")),
    )
    due_on = models.DateField(_("完成时限"))
    warn_at = models.DateTimeField(_("预警时间"))
    due_at = models.DateTimeField(_("到期时间"))
    state = models.CharField(
        _("状态"), max_length=12, choices=ResolutionState.choices, default=ResolutionState.OPEN
    )
    done_at = models.DateTimeField(_("落实时间"), null=True, blank=True)
    result = models.CharField(_("落实情况"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ResolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议决议")
        verbose_name_plural = _("会议决议")
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(condition=one_unit_q(), name="resolution_one_unit"),
        ]
        indexes = [
            path_index("resolution_area_path"),
            models.Index(
                fields=["due_at"],
                name="resolution_open_due",
                condition=Q(state__in=["open", "in_progress"]),
            ),
            models.Index(fields=["company", "due_on"], name="resolution_company_due"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def unit(self) -> object:
        return unit_of(self)

    @property
    def is_open(self) -> bool:
        return self.state in (ResolutionState.OPEN, ResolutionState.IN_PROGRESS)


class ResolutionEvent(models.Model):
    """The timeline of a resolution: one row per transition."""

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="events", verbose_name=_("决议")
    )
    action = models.CharField(_("操作"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    from_state = models.CharField(
        _("原状态"), max_length=12, choices=ResolutionState.choices, blank=True
    )
    to_state = models.CharField(_("新状态"), max_length=12, choices=ResolutionState.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("决议落实记录")
        verbose_name_plural = _("决议落实记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.resolution_id} {self.action}"


class MeetingPhoto(models.Model):
    meeting = models.ForeignKey(
        CouncilMeeting, on_delete=models.CASCADE, related_name="photos", verbose_name=_("会议")
    )
    # Private (common.models.private_storage): served by property_mgmt:meeting_photo to whoever
    # sees the meeting; kept without their metadata (cases.photos).
    image = models.ImageField(
        _("照片"), upload_to="property/meetings/%Y/%m/", storage=private_storage
    )
    thumbnail = models.ImageField(
        _("缩略图"), upload_to="property/meetings/thumbs/%Y/%m/", storage=private_storage
    )
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议照片")
        verbose_name_plural = _("会议照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.image.name)
