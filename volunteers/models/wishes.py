"""微心愿 and the other micro-services (微公益、微就业、微课堂、微养老).

A wish is posted for a resident (often a vulnerable one) by staff or a grid worker, reviewed,
published on the wish board, claimed by one member, unit or volunteer, fulfilled with a photo,
confirmed by the resident's community and thanked (``volunteers.wish_workflow``). A wish
waiting on the board ages visibly. Micro-services are standing offerings with a record of each
resident served."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import path_index

from ..querysets import ServiceQuerySet
from ..storage import private_storage


class WishState(models.TextChoices):
    POSTED = "posted", _("待审核")
    PUBLISHED = "published", _("待认领")
    CLAIMED = "claimed", _("已认领")
    FULFILLED = "fulfilled", _("已实现")
    CONFIRMED = "confirmed", _("社区已确认")
    THANKED = "thanked", _("已致谢")
    REJECTED = "rejected", _("未通过")


class ClaimantKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("志愿者")
    MEMBER = "member", _("党员")
    UNIT = "unit", _("单位")


class Wish(models.Model):
    community = models.ForeignKey(
        "governance.Area", on_delete=models.PROTECT, related_name="wishes",
        verbose_name=_("所属社区"),
    )  # fmt: skip
    area_path = models.CharField(max_length=255, editable=False)
    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.SET_NULL, null=True, blank=True, related_name="wishes",
        verbose_name=_("网格"),
    )  # fmt: skip
    resident = models.ForeignKey(
        "governance.Resident", on_delete=models.PROTECT, null=True, blank=True,
        related_name="wishes", verbose_name=_("居民"),
    )  # fmt: skip
    beneficiary = models.CharField(_("心愿人"), max_length=50)
    title = models.CharField(_("心愿"), max_length=100)
    description = models.TextField(_("详细说明"), max_length=1000, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=WishState.choices, default=WishState.POSTED
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("发布人"),
    )  # fmt: skip
    posted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    published_at = models.DateTimeField(_("上墙时间"), null=True, blank=True)
    claimant_kind = models.CharField(
        _("认领方类型"), max_length=10, choices=ClaimantKind.choices, blank=True
    )
    claimant_name = models.CharField(_("认领方"), max_length=120, blank=True)
    claimant_volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.PROTECT, null=True, blank=True,
        related_name="claimed_wishes", verbose_name=_("认领志愿者"),
    )  # fmt: skip
    claimant_member = models.ForeignKey(
        "volunteers.MemberCheckIn", on_delete=models.PROTECT, null=True, blank=True,
        related_name="claimed_wishes", verbose_name=_("认领党员"),
    )  # fmt: skip
    claimant_unit = models.ForeignKey(
        "governance.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="claimed_wishes", verbose_name=_("认领单位"),
    )  # fmt: skip
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    photo = models.FileField(
        _("实现照片"), storage=private_storage, upload_to="wishes/%Y/%m/", blank=True
    )
    fulfil_note = models.CharField(_("实现情况"), max_length=500, blank=True)
    fulfilled_at = models.DateTimeField(_("实现时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    thanks = models.CharField(_("感谢语"), max_length=500, blank=True)
    thanked_at = models.DateTimeField(_("致谢时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("微心愿")
        verbose_name_plural = _("微心愿")
        ordering = ["-posted_at", "-id"]
        indexes = [
            path_index("wish_area_path"),
            models.Index(fields=["state", "published_at"], name="wish_state_published"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def waiting_days(self) -> int | None:
        """Days on the board without a claim (None once claimed or before publishing)."""
        if self.state != WishState.PUBLISHED or self.published_at is None:
            return None
        return (timezone.now() - self.published_at).days


class MicroKind(models.TextChoices):
    PUBLIC_GOOD = "public_good", _("微公益")
    EMPLOYMENT = "employment", _("微就业")
    CLASS = "class", _("微课堂")
    ELDERLY = "elderly", _("微养老")


class MicroService(models.Model):
    kind = models.CharField(_("类别"), max_length=12, choices=MicroKind.choices)
    title = models.CharField(_("服务名称"), max_length=100)
    community = models.ForeignKey(
        "governance.Area", on_delete=models.PROTECT, related_name="micro_services",
        verbose_name=_("所属社区"),
    )  # fmt: skip
    area_path = models.CharField(max_length=255, editable=False)
    team = models.ForeignKey(
        "volunteers.VolunteerTeam", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="micro_services", verbose_name=_("提供队伍"),
    )  # fmt: skip
    provider = models.CharField(_("提供方"), max_length=120, blank=True)
    description = models.TextField(_("服务内容"), max_length=1000, blank=True)
    is_active = models.BooleanField(_("提供中"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("微服务项目")
        verbose_name_plural = _("微服务项目")
        ordering = ["area_path", "kind", "title"]
        indexes = [path_index("micro_area_path")]

    def __str__(self) -> str:
        return self.title


class MicroServiceRecord(models.Model):
    service = models.ForeignKey(
        MicroService, on_delete=models.CASCADE, related_name="records", verbose_name=_("服务项目")
    )
    area_path = models.CharField(max_length=255, editable=False)
    resident = models.ForeignKey(
        "governance.Resident", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("服务居民"),
    )  # fmt: skip
    resident_name = models.CharField(_("服务对象"), max_length=50)
    served_on = models.DateField(_("服务日期"))
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="micro_records", verbose_name=_("服务志愿者"),
    )  # fmt: skip
    note = models.CharField(_("服务情况"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("微服务记录")
        verbose_name_plural = _("微服务记录")
        ordering = ["-served_on", "-id"]
        indexes = [path_index("micro_record_area_path")]

    def __str__(self) -> str:
        return f"{self.service_id} → {self.resident_name}"
