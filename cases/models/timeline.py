"""The timeline of a case: one row per transition, its photos, and the supervisions (督办)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import private_storage

from .case import Case
from .choices import CaseState, SupervisionLevel, Tier


class CaseEvent(models.Model):
    """The timeline: one row per transition (who, when, from, to, tier, note, photos)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("事件")
    )
    action = models.CharField(_("操作"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    from_state = models.CharField(_("原状态"), max_length=12, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, choices=CaseState.choices)
    tier = models.CharField(_("层级"), max_length=12, choices=Tier.choices)
    note = models.TextField(_("说明"), blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class CaseAttachment(models.Model):
    """A photo, validated (type, size), its metadata (EXIF, GPS) stripped, kept in private
    storage with a thumbnail for the case page."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("事件")
    )
    event = models.ForeignKey(
        CaseEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("办理记录"),
    )
    # Private (common.models.private_storage): served by cases:photo to whoever sees the case.
    image = models.ImageField(_("照片"), upload_to="cases/photos/%Y/%m/", storage=private_storage)
    thumbnail = models.ImageField(
        _("缩略图"), upload_to="cases/thumbs/%Y/%m/", storage=private_storage
    )
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.image.name)


class Supervision(models.Model):
    """督办: ordinary, yellow card or red card, by a level above or by the overdue sweep."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("事件")
    )
    level = models.CharField(_("督办级别"), max_length=10, choices=SupervisionLevel.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("督办人"),
    )
    note = models.CharField(_("督办意见"), max_length=500, blank=True)
    at = models.DateTimeField(_("督办时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_level_display()}"
