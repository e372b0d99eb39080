"""Party-mass service centres (党群服务中心): the street centre, the community centres under it,
and below them the grids' service stations and red stations (``grids.Station``, reused, never
copied). Each centre has rooms that can be booked, service records, and the standardisation
checklist (标准化建设) it is scored against."""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import Func, Q
from django.utils.translation import gettext_lazy as _

from grids.models import ServiceKind

from ..querysets import CentreQuerySet


def path_index(name: str) -> models.Index:
    return models.Index(fields=["area_path"], name=name, opclasses=["varchar_pattern_ops"])


class CentreLevel(models.TextChoices):
    STREET = "street", _("街道党群服务中心")
    COMMUNITY = "community", _("社区党群服务中心")


class ServiceLine(models.TextChoices):
    """The four lines a centre brings together (集党务、政务、商务、社会服务于一体)."""

    PARTY = "party", _("党务服务")
    GOVERNMENT = "government", _("政务服务")
    COMMERCE = "commerce", _("商务服务")
    SOCIAL = "social", _("社会服务")


class ServiceCentre(models.Model):
    """A street or community party-mass service centre, one per area. A community centre hangs
    under its street's centre; the grid stations under a community centre are the grids'
    stations of that community."""

    level = models.CharField(_("层级"), max_length=16, choices=CentreLevel.choices)
    area = models.OneToOneField(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="service_centre",
        verbose_name=_("所在街道/社区"),
    )
    area_path = models.CharField(_("区域路径"), max_length=255, editable=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级中心"),
        editable=False,
    )
    name = models.CharField(_("名称"), max_length=100, unique=True)
    address = models.CharField(_("地址"), max_length=200)
    opening_hours = models.CharField(_("开放时间"), max_length=100)
    phone = models.CharField(_("服务电话"), max_length=30, blank=True)
    floor_area = models.PositiveIntegerField(_("建筑面积（平方米）"), null=True, blank=True)
    services = ArrayField(
        models.CharField(max_length=20, choices=ServiceKind.choices),
        verbose_name=_("服务内容"),
        default=list,
        blank=True,
    )
    lines = ArrayField(
        models.CharField(max_length=20, choices=ServiceLine.choices),
        verbose_name=_("服务板块"),
        default=list,
        blank=True,
    )
    opened_on = models.DateField(_("启用日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CentreQuerySet.as_manager()

    class Meta:
        verbose_name = _("党群服务中心")
        verbose_name_plural = _("党群服务中心")
        ordering = ["area_path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=CentreLevel.STREET, parent__isnull=True)
                | Q(level=CentreLevel.COMMUNITY),
                name="servicecentre_street_is_top",
            ),
        ]
        indexes = [path_index("servicecentre_area_path")]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    """A room of a centre that activities and meetings book (会议室, 活动室, 调解室…)."""

    centre = models.ForeignKey(
        ServiceCentre, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("服务中心")
    )
    area_path = models.CharField(_("区域路径"), max_length=255, editable=False)
    name = models.CharField(_("名称"), max_length=50)
    capacity = models.PositiveSmallIntegerField(_("容纳人数"))
    purpose = models.CharField(_("用途"), max_length=100, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = CentreQuerySet.as_manager()

    class Meta:
        verbose_name = _("功能室")
        verbose_name_plural = _("功能室")
        ordering = ["centre", "name"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="room_unique_name")]
        indexes = [path_index("room_area_path")]

    def __str__(self) -> str:
        return f"{self.centre} · {self.name}"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CANCELLED = "cancelled", _("已取消")


class TsTzRange(Func):
    """``tstzrange(starts_at, ends_at)``: half-open, so back-to-back bookings do not clash."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class RoomBooking(models.Model):
    """A room booked for an activity or meeting. Two booked rows of one room never overlap:
    the service checks under a lock on the room and the exclusion constraint refuses what a
    race would let through."""

    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("功能室")
    )
    area_path = models.CharField(_("区域路径"), max_length=255, editable=False)
    title = models.CharField(_("活动/会议"), max_length=100)
    organiser = models.CharField(_("组织方"), max_length=100, blank=True)
    attendees = models.PositiveSmallIntegerField(_("预计人数"), default=0)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(
        _("状态"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("预约人"),
    )
    created_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    objects = CentreQuerySet.as_manager()

    class Meta:
        verbose_name = _("功能室预约")
        verbose_name_plural = _("功能室预约")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="roombooking_ends_after_start"
            ),
            ExclusionConstraint(
                name="roombooking_no_overlap",
                expressions=[
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                    ("room", RangeOperators.EQUAL),
                ],
                condition=Q(status=BookingStatus.BOOKED),
            ),
        ]
        indexes = [
            path_index("roombooking_area_path"),
            models.Index(fields=["room", "starts_at"], name="roombooking_room_start"),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.title}"


class ServiceRecord(models.Model):
    """One service given (one of the seven kinds) at a centre or at a grid station: who was
    served, when, by whom. Exactly one of ``centre`` and ``station`` is set."""

    centre = models.ForeignKey(
        ServiceCentre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_records",
        verbose_name=_("服务中心"),
    )
    station = models.ForeignKey(
        "grids.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_records",
        verbose_name=_("网格服务站/红色驿站"),
    )
    area_path = models.CharField(_("区域路径"), max_length=255, editable=False)
    kind = models.CharField(_("服务类别"), max_length=20, choices=ServiceKind.choices)
    line = models.CharField(_("服务板块"), max_length=20, choices=ServiceLine.choices, blank=True)
    served_on = models.DateField(_("服务日期"))
    content = models.CharField(_("服务内容"), max_length=200)
    served = models.CharField(_("服务对象"), max_length=100)
    people = models.PositiveIntegerField(_("服务人次"), default=1)
    served_by = models.CharField(_("服务人员"), max_length=50)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = CentreQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(centre__isnull=False, station__isnull=True)
                | Q(centre__isnull=True, station__isnull=False),
                name="servicerecord_one_place",
            ),
            models.CheckConstraint(condition=Q(people__gte=1), name="servicerecord_people"),
        ]
        indexes = [
            path_index("servicerecord_area_path"),
            models.Index(fields=["served_on", "kind"], name="servicerecord_day_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.served_on:%Y-%m-%d} {self.content}"

    @property
    def place(self) -> object:
        return self.centre or self.station


class ChecklistItem(models.Model):
    """One requirement of the district's 标准化建设 checklist, worth ``points``, for the centre
    levels in ``levels``."""

    code = models.CharField(_("编号"), max_length=16, unique=True)
    section = models.CharField(_("类别"), max_length=50)
    title = models.CharField(_("要求"), max_length=200)
    points = models.PositiveSmallIntegerField(_("分值"))
    levels = ArrayField(
        models.CharField(max_length=16, choices=CentreLevel.choices),
        verbose_name=_("适用层级"),
        default=list,
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("标准化建设检查项")
        verbose_name_plural = _("标准化建设检查项")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(points__gt=0), name="checklist_points")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ChecklistResult(models.Model):
    """Whether a centre meets one checklist item, as last checked."""

    centre = models.ForeignKey(
        ServiceCentre,
        on_delete=models.CASCADE,
        related_name="checklist",
        verbose_name=_("服务中心"),
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="results", verbose_name=_("检查项")
    )
    area_path = models.CharField(_("区域路径"), max_length=255, editable=False)
    met = models.BooleanField(_("达标"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    checked_on = models.DateField(_("检查日期"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("检查人"),
    )

    objects = CentreQuerySet.as_manager()

    class Meta:
        verbose_name = _("标准化建设检查结果")
        verbose_name_plural = _("标准化建设检查结果")
        ordering = ["centre", "item"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "item"], name="checklistresult_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.centre} · {self.item.code}"
