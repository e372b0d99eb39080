from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import EncryptedCharField, mask_phone

from ..querysets import CommitteeMemberQuerySet, CommitteeQuerySet
from ._base import DateRange, path_index


class OwnersCommittee(models.Model):
    """An owners' committee (业主委员会) of one residential area for one term."""

    area = models.ForeignKey(
        "governance.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("小区")
    )
    area_path = models.CharField(_("小区路径"), max_length=255, editable=False)
    name = models.CharField(_("名称"), max_length=100)
    party_org = models.ForeignKey(
        "governance.PartyOrg",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("业委会党组织"),
    )
    term_starts_on = models.DateField(_("任期开始"))
    term_ends_on = models.DateField(_("任期结束"))
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("业主委员会")
        verbose_name_plural = _("业主委员会")
        ordering = ["area_path", "-term_starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=models.F("term_starts_on")),
                name="committee_term_ends_after_start",
                violation_error_message=_("任期结束日期须晚于开始日期。"),
            ),
            ExclusionConstraint(
                name="committee_no_overlap",
                expressions=[
                    ("area", RangeOperators.EQUAL),
                    (DateRange("term_starts_on", "term_ends_on"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("该小区在这段任期内已有业主委员会。"),
            ),
        ]
        indexes = [path_index("committee_area_path")]

    def __str__(self) -> str:
        return self.name


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("主任")
    VICE_CHAIR = "vice_chair", _("副主任")
    MEMBER = "member", _("委员")


class CommitteeMember(models.Model):
    committee = models.ForeignKey(
        OwnersCommittee, on_delete=models.CASCADE, related_name="members", verbose_name=_("业委会")
    )
    area_path = models.CharField(_("小区路径"), max_length=255, editable=False)
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(
        _("职务"), max_length=12, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER
    )
    is_party_member = models.BooleanField(_("中共党员"), default=False)
    party_member = models.ForeignKey(
        "governance.PartyMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("党员档案"),
    )
    household = models.ForeignKey(
        "governance.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("住户"),
    )
    phone = EncryptedCharField(_("手机号"), blank=True, default="")
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    left_on = models.DateField(_("离任日期"), null=True, blank=True)

    objects = CommitteeMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("业委会成员")
        verbose_name_plural = _("业委会成员")
        ordering = ["committee", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(role="chair", left_on__isnull=True),
                name="committeemember_one_chair",
                violation_error_message=_("一届业委会只能有一位在任主任。"),
            ),
        ]
        indexes = [path_index("committeemember_area_path")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
