from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import private_storage

from ..querysets import ComplaintQuerySet, MediationQuerySet, PropertyQuerySet
from ._base import path_index


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("物业投诉")
    DISPUTE = "dispute", _("矛盾纠纷")


class ComplaintType(models.TextChoices):
    REPAIR = "repair", _("维修不及时")
    CLEANING = "cleaning", _("保洁卫生")
    SECURITY = "security", _("安保秩序")
    GREENING = "greening", _("绿化养护")
    FEES = "fees", _("收费问题")
    ATTITUDE = "attitude", _("服务态度")
    PARKING = "parking", _("停车管理")
    ELEVATOR = "elevator", _("电梯故障")
    NEIGHBOURS = "neighbours", _("邻里纠纷")
    OWNER_COMPANY = "owner_company", _("业主与物业纠纷")
    OTHER = "other", _("其他")


#: The complaint types of a dispute; the others are property complaints.
DISPUTE_TYPES = frozenset(
    {ComplaintType.NEIGHBOURS, ComplaintType.OWNER_COMPANY, ComplaintType.OTHER}
)


class ComplaintDetail(models.Model):
    """What makes a case a property complaint or a dispute: the residential area, the company
        that served it when it was reported, the type. Written in the same transaction as the case
        (``property_mgmt.services.complaint_report``). Street, community and the report time are
        copies of the case's, so complaint rates are counted on this table alone; so are whether the
    case counts, when it was resolved and whether it went red-overdue, which the database keeps."""

    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="property_detail",
        verbose_name=_("事件"),
    )
    kind = models.CharField(_("类别"), max_length=10, choices=ComplaintKind.choices)
    complaint_type = models.CharField(_("投诉类型"), max_length=14, choices=ComplaintType.choices)
    estate = models.ForeignKey(
        "governance.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("小区")
    )
    area_path = models.CharField(_("区域路径"), max_length=255, editable=False)
    street = models.ForeignKey(
        "governance.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道/镇")
    )
    community = models.ForeignKey(
        "governance.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    company = models.ForeignKey(
        "governance.PropertyCompany",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("物业企业"),
    )
    household = models.ForeignKey(
        "governance.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("反映住户"),
    )
    reported_at = models.DateTimeField(_("反映时间"))
    # Kept by the database (migration 0004): the case's state, resolution and red marks as the
    # complaint rate and the 红黑榜 count them, so they read this table alone.
    counted = models.BooleanField(_("计入投诉率"), default=True, editable=False)
    case_resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True, editable=False)
    went_overdue = models.BooleanField(_("曾红灯超期"), default=False, editable=False)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("物业投诉/纠纷")
        verbose_name_plural = _("物业投诉/纠纷")
        ordering = ["-reported_at"]
        indexes = [
            path_index("complaint_area_path"),
            models.Index(fields=["kind", "company", "reported_at"], name="complaint_company_at"),
            models.Index(fields=["kind", "estate", "reported_at"], name="complaint_estate_at"),
            models.Index(fields=["kind", "street", "reported_at"], name="complaint_street_at"),
            models.Index(fields=["kind", "reported_at"], name="complaint_kind_at"),
            models.Index(
                fields=["kind", "company", "case_resolved_at"],
                condition=models.Q(counted=True),
                name="complaint_company_resolved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id}"


class MediationGroupQuerySet(PropertyQuerySet):
    pass


class MediationGroup(models.Model):
    """A community's dispute-mediation group (矛盾纠纷调解小组)."""

    community = models.OneToOneField(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="mediation_group",
        verbose_name=_("社区"),
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    name = models.CharField(_("名称"), max_length=100)

    objects = MediationGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("矛盾纠纷调解小组")
        verbose_name_plural = _("矛盾纠纷调解小组")
        indexes = [path_index("mediationgroup_area_path")]

    def __str__(self) -> str:
        return self.name


class MediatorRole(models.TextChoices):
    LEADER = "leader", _("组长")
    MEMBER = "member", _("调解员")


class Mediator(models.Model):
    group = models.ForeignKey(
        MediationGroup,
        on_delete=models.CASCADE,
        related_name="mediators",
        verbose_name=_("调解小组"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(
        _("职务"), max_length=8, choices=MediatorRole.choices, default=MediatorRole.MEMBER
    )
    organisation = models.CharField(_("单位/身份"), max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("门户账号"),
    )
    is_active = models.BooleanField(_("在任"), default=True)

    class Meta:
        verbose_name = _("调解员")
        verbose_name_plural = _("调解员")
        ordering = ["group", "role", "id"]

    def __str__(self) -> str:
        return self.name


class MediationOutcome(models.TextChoices):
    PENDING = "", _("调解中")
    SUCCESS = "success", _("调解成功")
    PARTIAL = "partial", _("部分达成")
    FAILED = "failed", _("调解失败")


class Referral(models.TextChoices):
    NONE = "", _("无")
    JUDICIAL = "judicial", _("司法所")
    COURT = "court", _("人民法院")
    POLICE = "police", _("派出所")
    PETITION = "petition", _("信访部门")
    STREET = "street", _("街道综治中心")


class Mediation(models.Model):
    """The mediation of one dispute case by the community's group: sessions, an outcome
    and, when it fails, where the dispute was referred; an agreement document when one was
    signed (served only through the scoped view)."""

    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="mediation",
        verbose_name=_("事件"),
    )
    group = models.ForeignKey(
        MediationGroup,
        on_delete=models.PROTECT,
        related_name="mediations",
        verbose_name=_("调解小组"),
    )
    area_path = models.CharField(_("区域路径"), max_length=255, editable=False)
    outcome = models.CharField(
        _("调解结果"), max_length=8, choices=MediationOutcome.choices, blank=True, default=""
    )
    outcome_note = models.CharField(_("结果说明"), max_length=500, blank=True)
    concluded_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    referral = models.CharField(
        _("移交"), max_length=10, choices=Referral.choices, blank=True, default=""
    )
    # Private (common.models.private_storage): served by property_mgmt:mediation_agreement to
    # whoever may read the mediation; images are kept without their metadata.
    agreement = models.FileField(
        _("调解协议书"),
        upload_to="property/agreements/%Y/%m/",
        storage=private_storage,
        blank=True,
    )
    agreement_type = models.CharField(max_length=80, blank=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = MediationQuerySet.as_manager()

    class Meta:
        verbose_name = _("纠纷调解")
        verbose_name_plural = _("纠纷调解")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(referral="") | Q(outcome="failed"), name="mediation_referral_if_failed"
            ),
        ]
        indexes = [path_index("mediation_area_path")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_outcome_display()}"


class MediationSession(models.Model):
    mediation = models.ForeignKey(
        Mediation, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("调解")
    )
    held_at = models.DateTimeField(_("调解时间"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    mediators = models.ManyToManyField(Mediator, related_name="sessions", verbose_name=_("调解员"))
    notes = models.TextField(_("调解记录"), max_length=3000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["mediation", "held_at"]

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.held_at:%Y-%m-%d}"
