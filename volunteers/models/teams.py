"""志愿队伍联心暖群众: a volunteer team per grid (网格志愿服务队) and named brand teams
(古城志愿服务队, 老党员之家, 红马甲公益团队), their volunteers (residents, checked-in members or
outsiders), and who is in which team. A person is one ``Volunteer`` row however many teams
they join (``person_key``), so totals count them once."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import EncryptedCharField, mask_phone
from governance.models import path_index

from ..querysets import ServiceQuerySet

#: The national volunteer-record rule: one to five stars at these cumulative hours.
STAR_HOURS = (100, 300, 600, 1000, 1500)


def star_level(hours: Decimal | float | int) -> int:
    """How many stars ``hours`` of approved service earn (0 below 100 hours)."""
    return sum(1 for threshold in STAR_HOURS if hours >= threshold)


class TeamKind(models.TextChoices):
    GRID = "grid", _("网格志愿服务队")
    BRAND = "brand", _("品牌志愿服务队")


class VolunteerTeam(models.Model):
    name = models.CharField(_("队伍名称"), max_length=100)
    kind = models.CharField(_("队伍类型"), max_length=8, choices=TeamKind.choices)
    community = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
        verbose_name=_("所属社区"),
    )
    area_path = models.CharField(max_length=255, editable=False)
    grid = models.ForeignKey(
        "grids.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_teams",
        verbose_name=_("服务网格"),
    )
    leader = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("队长"),
    )
    focus = models.CharField(_("服务方向"), max_length=200, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("活跃"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        ordering = ["area_path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="team_unique_name"),
            models.UniqueConstraint(
                fields=["grid"], condition=Q(kind="grid"), name="team_one_per_grid"
            ),
            models.CheckConstraint(
                condition=Q(kind="brand") | Q(grid__isnull=False), name="grid_team_has_grid"
            ),
        ]
        indexes = [path_index("team_area_path")]

    def __str__(self) -> str:
        return self.name


class VolunteerSource(models.TextChoices):
    RESIDENT = "resident", _("社区居民")
    MEMBER = "member", _("报到党员")
    OUTSIDER = "outsider", _("社会志愿者")


class Volunteer(models.Model):
    """A volunteer of a community. ``hours`` is the sum of their approved attendance, kept in
    the transaction that approves it; ``points`` the balance of their points ledger (never
    negative)."""

    name = models.CharField(_("姓名"), max_length=50)
    source = models.CharField(_("身份"), max_length=10, choices=VolunteerSource.choices)
    resident = models.ForeignKey(
        "governance.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("居民档案"),
    )
    member_checkin = models.ForeignKey(
        "volunteers.MemberCheckIn",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("党员报到"),
    )
    phone = EncryptedCharField(_("手机号"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    person_key = models.CharField(max_length=80, unique=True, editable=False)
    community = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("所属社区"),
    )
    area_path = models.CharField(max_length=255, editable=False)
    skills = models.CharField(_("特长"), max_length=200, blank=True)
    availability = models.CharField(_("可服务时间"), max_length=100, blank=True)
    hours = models.DecimalField(
        _("累计服务时长（小时）"), max_digits=8, decimal_places=1, default=Decimal(0)
    )
    points = models.IntegerField(_("积分余额"), default=0)
    access_token = models.CharField(max_length=48, unique=True, editable=False)
    registered_on = models.DateField(_("注册日期"))
    is_active = models.BooleanField(_("在册"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["area_path", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gte=0), name="volunteer_points_not_negative"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="volunteer_hours_not_negative"),
        ]
        indexes = [
            path_index("volunteer_area_path"),
            models.Index(fields=["area_path", "-hours"], name="volunteer_path_hours"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def stars(self) -> int:
        return star_level(self.hours)

    @property
    def stars_display(self) -> str:
        return "★" * self.stars if self.stars else "—"


class TeamMembership(models.Model):
    team = models.ForeignKey(
        VolunteerTeam, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("队伍")
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("志愿者")
    )
    area_path = models.CharField(max_length=255, editable=False)
    joined_on = models.DateField(_("入队日期"))

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("队员")
        verbose_name_plural = _("队员")
        ordering = ["team_id", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "volunteer"], name="membership_once"),
        ]
        indexes = [path_index("membership_area_path")]

    def __str__(self) -> str:
        return f"{self.volunteer_id} @ {self.team_id}"
