"""Export jobs: an Excel export too large for a request, written by a worker into private
storage (never under the public media URL), kept a day for the user who asked for it."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: How long a finished file is kept.
KEEP = timedelta(days=1)


class PrivateStorage(FileSystemStorage):
    """Files no URL serves (``url()`` refuses): a view checks who asks before it streams one.
    The folder is ``PRIVATE_MEDIA_ROOT``, read at each use."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> str:
        return None  # type: ignore[return-value]  # FileSystemStorage.url() then refuses


def private_storage() -> Storage:
    return PrivateStorage()


def _expiry() -> datetime:
    return timezone.now() + KEEP


class ExportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导出中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ExportJob(models.Model):
    """One export of a list page with its filters, as its requester saw the page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("申请人"),
    )
    title = models.CharField(_("名称"), max_length=100)
    path = models.CharField(_("页面"), max_length=255)
    #: The list page's class (``module.Class``), as ``common.exports`` registers it.
    page = models.CharField(_("页面类型"), max_length=200)
    query = models.TextField(_("筛选条件"), blank=True)
    state = models.CharField(
        _("状态"), max_length=8, choices=ExportState.choices, default=ExportState.QUEUED
    )
    total = models.PositiveIntegerField(_("行数"), default=0)
    done = models.PositiveIntegerField(_("已写行数"), default=0)
    file = models.FileField(_("文件"), storage=private_storage, upload_to="exports/", blank=True)
    error = models.CharField(_("错误"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("保留至"), default=_expiry)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="exportjob_user_created")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (ExportState.DONE, ExportState.FAILED)

    @property
    def percent(self) -> int:
        if self.state == ExportState.DONE:
            return 100
        return min(99, 100 * self.done // self.total) if self.total else 0


#: How long an ``Idempotency-Key`` is remembered.
IDEMPOTENCY_KEEP = timedelta(hours=24)


def _idempotency_expiry() -> datetime:
    return timezone.now() + IDEMPOTENCY_KEEP


class IdempotencyKey(models.Model):
    """One ``Idempotency-Key`` a user sent with a write (``common.idempotency``): the row is
    inserted before the work, so a second request with the key finds it (in progress while
    ``status`` is null), and keeps the first response to answer a repeat with."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("用户"),
    )
    key = models.CharField(_("幂等键"), max_length=255)
    method = models.CharField(_("方法"), max_length=8)
    path = models.CharField(_("路径"), max_length=500)
    #: A hash of the request body (and query string): the same key with another body is refused.
    fingerprint = models.CharField(_("请求指纹"), max_length=64)
    #: Null while the first request is still at work.
    status = models.PositiveSmallIntegerField(_("响应状态"), null=True, blank=True)
    content_type = models.CharField(_("响应类型"), max_length=100, blank=True)
    body = models.TextField(_("响应内容"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("保留至"), default=_idempotency_expiry, db_index=True)

    class Meta:
        verbose_name = _("幂等键")
        verbose_name_plural = _("幂等键")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "method", "path"], name="idempotencykey_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.key}"
