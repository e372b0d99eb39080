"""Grids and their people: grids, the areas they cover, grid posts with their history,
community workers (3岗18级, 五员), red stations and grid service stations.

Every scoped row carries ``area_path``, the materialised path of its community, so that
"everything under street X" is one indexed range scan (see accounts/scoping.py); each model's
queryset, with its ``visible_to(actor)``, is defined here before the models.
"""

from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.scoping import ScopedQuerySet
from common.concurrency import version_field

#: The worker roster carries grades and salaries: the offices that run it see it; a grid worker
#: sees colleagues only as names on a grid's staffing.
ROSTER_ROLES = frozenset(
    {Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER, Role.STREET_STAFF, Role.COMMUNITY_STAFF}
)


class GridQuerySet(ScopedQuerySet["Grid"]):
    scope_area_path = "area_path"


class GridStaffingQuerySet(ScopedQuerySet["GridStaffing"]):
    scope_area_path = "area_path"

    def current(self) -> "GridStaffingQuerySet":
        return self.filter(ended_on__isnull=True)


class StationQuerySet(ScopedQuerySet["Station"]):
    scope_area_path = "area_path"


class CommunityWorkerQuerySet(ScopedQuerySet["CommunityWorker"]):
    scope_area_path = "area_path"
    scope_roles = ROSTER_ROLES


class WorkerRecordQuerySet(ScopedQuerySet[Any]):
    """Grade changes and trainings: seen by whoever sees the roster."""

    scope_area_path = "area_path"
    scope_roles = ROSTER_ROLES


class VisitQuerySet(ScopedQuerySet["Visit"]):
    scope_area_path = "area_path"


class VisitProblemQuerySet(ScopedQuerySet["VisitProblem"]):
    scope_area_path = "area_path"


GRADES = 18


def _path_index(name: str) -> models.Index:
    return models.Index(fields=["area_path"], name=name, opclasses=["varchar_pattern_ops"])


class GridKind(models.TextChoices):
    URBAN = "urban", _("城市网格")
    RURAL = "rural", _("农村网格")
    DEDICATED = "dedicated", _("专属网格")


class Grid(models.Model):
    """A grid of one community, drawn as a GeoJSON polygon in longitude/latitude (WGS 84)."""

    community = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="grids",
        verbose_name=_("所属社区"),
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    code = models.CharField(_("网格编码"), max_length=32, unique=True)
    name = models.CharField(_("网格名称"), max_length=100)
    kind = models.CharField(
        _("网格类型"), max_length=16, choices=GridKind.choices, default=GridKind.URBAN
    )
    boundary = models.JSONField(
        _("边界"),
        null=True,
        blank=True,
        help_text=_("GeoJSON 多边形（Polygon 或 MultiPolygon），经纬度坐标。"),
    )
    # The boundary's bounding box, so that locating a point reads only the candidate grids.
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = version_field()

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["area_path", "code"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="grid_unique_name"),
        ]
        indexes = [
            _path_index("grid_area_path"),
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="grid_bbox"),
        ]

    def __str__(self) -> str:
        return self.name


class GridCoverage(models.Model):
    """A residential area or building covered by a grid. An area (and so every building under
    it) lies in at most one active grid: the service refuses overlaps and the partial unique
    constraint refuses a second active row for the same area."""

    grid = models.ForeignKey(
        Grid, on_delete=models.CASCADE, related_name="coverages", verbose_name=_("网格")
    )
    area = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="grid_coverages",
        verbose_name=_("小区/楼栋"),
    )
    area_path = models.CharField(_("区域路径"), max_length=255, editable=False)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("划入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("网格覆盖范围")
        verbose_name_plural = _("网格覆盖范围")
        ordering = ["area_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(is_active=True),
                name="gridcoverage_one_active_grid",
            ),
        ]
        indexes = [_path_index("gridcoverage_area_path")]

    def __str__(self) -> str:
        return f"{self.grid} · {self.area}"


class WorkerPost(models.TextChoices):
    """The three posts of 3岗18级."""

    HEAD = "head", _("社区正职")
    DEPUTY = "deputy", _("社区副职")
    STAFF = "staff", _("社区专职工作者")


class FiveDuty(models.TextChoices):
    """五员: the duty each community worker carries."""

    MEDIATOR = "mediator", _("矛盾纠纷调解员")
    ENVIRONMENT = "environment", _("环境保护员")
    PUBLICITY = "publicity", _("政策宣讲员")
    SURVEY = "survey", _("民意调查员")
    SERVICE = "service", _("便民服务员")


class RecruitmentStatus(models.TextChoices):
    RECRUITING = "recruiting", _("招录中")
    PROBATION = "probation", _("试用期")
    ACTIVE = "active", _("在岗")
    LEFT = "left", _("已离职")


class CommunityWorker(models.Model):
    """A community worker (社区工作者) with post and grade (3岗18级) and a 五员 duty."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_worker",
        verbose_name=_("登录账号"),
    )
    community = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="community_workers",
        verbose_name=_("所属社区"),
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("岗位"), max_length=16, choices=WorkerPost.choices)
    grade = models.PositiveSmallIntegerField(
        _("等级"), validators=[MinValueValidator(1), MaxValueValidator(GRADES)]
    )
    duty = models.CharField(_("五员职责"), max_length=16, choices=FiveDuty.choices, blank=True)
    status = models.CharField(
        _("招录状态"),
        max_length=16,
        choices=RecruitmentStatus.choices,
        default=RecruitmentStatus.ACTIVE,
    )
    is_party_member = models.BooleanField(_("中共党员"), default=False)
    hired_on = models.DateField(_("入职日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = CommunityWorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("社区工作者")
        verbose_name_plural = _("社区工作者")
        ordering = ["area_path", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=GRADES), name="communityworker_grade_range"
            ),
        ]
        indexes = [_path_index("communityworker_area_path")]

    def __str__(self) -> str:
        return self.name


class SalaryScale(models.Model):
    """The salary table of 3岗18级, kept by the district admin year by year."""

    year = models.PositiveSmallIntegerField(_("年度"))
    post = models.CharField(_("岗位"), max_length=16, choices=WorkerPost.choices)
    grade = models.PositiveSmallIntegerField(
        _("等级"), validators=[MinValueValidator(1), MaxValueValidator(GRADES)]
    )
    monthly_amount = models.DecimalField(
        _("月薪（元）"), max_digits=9, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("薪酬标准")
        verbose_name_plural = _("薪酬标准")
        ordering = ["-year", "post", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["year", "post", "grade"], name="salaryscale_unique"),
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=GRADES), name="salaryscale_grade_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_post_display()} {self.grade}"


class GradeChange(models.Model):
    """One step of a worker's post and grade history, effective from a date."""

    worker = models.ForeignKey(
        CommunityWorker,
        on_delete=models.CASCADE,
        related_name="grade_changes",
        verbose_name=_("社区工作者"),
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    post = models.CharField(_("岗位"), max_length=16, choices=WorkerPost.choices)
    grade = models.PositiveSmallIntegerField(
        _("等级"), validators=[MinValueValidator(1), MaxValueValidator(GRADES)]
    )
    effective_on = models.DateField(_("生效日期"))
    reason = models.CharField(_("调整原因"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = WorkerRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("岗级变动")
        verbose_name_plural = _("岗级变动")
        ordering = ["worker", "-effective_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "effective_on"], name="gradechange_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.effective_on} {self.get_post_display()} {self.grade}"


class Training(models.Model):
    worker = models.ForeignKey(
        CommunityWorker,
        on_delete=models.CASCADE,
        related_name="trainings",
        verbose_name=_("社区工作者"),
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    course = models.CharField(_("课程"), max_length=200)
    hours = models.DecimalField(
        _("学时"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    trained_on = models.DateField(_("培训日期"))
    organiser = models.CharField(_("主办单位"), max_length=100, blank=True)

    objects = WorkerRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        ordering = ["-trained_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours")]

    def __str__(self) -> str:
        return f"{self.worker} {self.course}"


class GridPost(models.TextChoices):
    LEADER = "leader", _("网格长")
    SECRETARY = "secretary", _("网格党组织书记")
    WORKER = "worker", _("网格员")


SINGLE_POSTS = (GridPost.LEADER, GridPost.SECRETARY)


class GridStaffing(models.Model):
    """Who held which post of a grid from when to when (``ended_on`` empty: holds it now).

    Grid workers are posted from the community workers (定岗网格); a leader or party secretary
    may be someone else, named in ``person_name``."""

    grid = models.ForeignKey(
        Grid, on_delete=models.CASCADE, related_name="staffings", verbose_name=_("网格")
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    post = models.CharField(_("网格职务"), max_length=16, choices=GridPost.choices)
    worker = models.ForeignKey(
        CommunityWorker,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staffings",
        verbose_name=_("社区工作者"),
    )
    person_name = models.CharField(_("姓名"), max_length=50)
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = GridStaffingQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格人员配备")
        verbose_name_plural = _("网格人员配备")
        ordering = ["grid", "post", "-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="gridstaffing_dates",
            ),
            models.CheckConstraint(
                condition=~Q(post=GridPost.WORKER) | Q(worker__isnull=False),
                name="gridstaffing_worker_is_community_worker",
            ),
            models.UniqueConstraint(
                fields=["grid", "post"],
                condition=Q(ended_on__isnull=True, post__in=list(SINGLE_POSTS)),
                name="gridstaffing_one_leader_one_secretary",
            ),
            models.UniqueConstraint(
                fields=["grid", "post", "worker"],
                condition=Q(ended_on__isnull=True),
                name="gridstaffing_no_double_post",
            ),
        ]
        indexes = [_path_index("gridstaffing_area_path")]

    def __str__(self) -> str:
        return f"{self.grid} · {self.get_post_display()} · {self.person_name}"


class StationKind(models.TextChoices):
    RED_STATION = "red_station", _("红色驿站")
    SERVICE_STATION = "service_station", _("网格党群服务站")


class ServiceKind(models.TextChoices):
    """The seven kinds of community service of the seed report."""

    CO_BUILDING = "co_building", _("共建服务")
    VOLUNTEER = "volunteer", _("志愿服务")
    STATION = "station", _("驿站服务")
    CONVENIENCE = "convenience", _("便民服务")
    CULTURE = "culture", _("文娱服务")
    PROPERTY = "property", _("物业服务")
    PROFESSIONAL = "professional", _("专业服务")


class Station(models.Model):
    """A red station (红色驿站) or grid-level party-mass service station in a grid."""

    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="stations", verbose_name=_("网格")
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    kind = models.CharField(
        _("类型"), max_length=20, choices=StationKind.choices, default=StationKind.RED_STATION
    )
    name = models.CharField(_("名称"), max_length=100)
    residential_area = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stations",
        verbose_name=_("所在小区"),
    )
    address = models.CharField(_("地址"), max_length=200)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100)
    services = ArrayField(
        models.CharField(max_length=20, choices=ServiceKind.choices),
        verbose_name=_("服务内容"),
        default=list,
        blank=True,
    )
    opened_on = models.DateField(_("启用日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("红色驿站/服务站")
        verbose_name_plural = _("红色驿站/服务站")
        ordering = ["area_path", "name"]
        constraints = [models.UniqueConstraint(fields=["grid", "name"], name="station_unique")]
        indexes = [_path_index("station_area_path")]

    def __str__(self) -> str:
        return self.name


class ModelPost(models.Model):
    """A party member model post (党员示范岗) staffed at a station."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="model_posts", verbose_name=_("驿站")
    )
    title = models.CharField(_("岗位名称"), max_length=100)
    member_name = models.CharField(_("党员姓名"), max_length=50)
    duty = models.CharField(_("服务内容"), max_length=200, blank=True)
    since = models.DateField(_("设岗日期"))

    class Meta:
        verbose_name = _("党员示范岗")
        verbose_name_plural = _("党员示范岗")
        ordering = ["station", "title"]

    def __str__(self) -> str:
        return f"{self.title} · {self.member_name}"


class VisitKind(models.TextChoices):
    DOOR = "door", _("入户走访")
    PHONE = "phone", _("电话回访")
    GATHERING = "gathering", _("集中走访")
    FOLLOW_UP = "follow_up", _("跟踪回访")


class Visit(models.Model):
    """A door-to-door visit (民情走访: 走百家门、知百家事、解百家忧) by a grid worker."""

    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="visits", verbose_name=_("网格")
    )
    household = models.ForeignKey(
        "governance.Household",
        on_delete=models.PROTECT,
        related_name="grid_visits",
        verbose_name=_("住户"),
    )
    area_path = models.CharField(_("区域路径"), max_length=255, editable=False)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="grid_visits",
        verbose_name=_("走访人"),
    )
    visited_on = models.DateField(_("走访日期"))
    kind = models.CharField(
        _("走访方式"), max_length=16, choices=VisitKind.choices, default=VisitKind.DOOR
    )
    heard = models.TextField(_("了解情况"), max_length=2000)
    follow_up_on = models.DateField(_("回访日期"), null=True, blank=True)
    followed_up = models.BooleanField(_("已回访"), default=False)
    needs = models.ManyToManyField(
        "governance.NeedsLedger", blank=True, related_name="visits", verbose_name=_("发现的需求")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("民情走访")
        verbose_name_plural = _("民情走访")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True)
                | Q(follow_up_on__gte=models.F("visited_on")),
                name="visit_follow_up_after_visit",
            ),
        ]
        indexes = [
            _path_index("visit_area_path"),
            models.Index(fields=["visitor", "follow_up_on"], name="visit_visitor_follow_up"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.household}"


class VisitProblem(models.Model):
    """A problem found on a visit. Each one is reported as a case through the case service in
    the same transaction as the visit; whether it is solved is the case's state (closed), never
    a flag of our own. Problems recorded before cases existed may have no case."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="problems", verbose_name=_("走访")
    )
    area_path = models.CharField(_("区域路径"), max_length=255, editable=False)
    description = models.CharField(_("问题描述"), max_length=500)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_problems",
        verbose_name=_("事件"),
    )

    objects = VisitProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访发现的问题")
        verbose_name_plural = _("走访发现的问题")
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return self.description
