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


class Job(models.Model):
    """What an export job and an import job share: whose it is, how many rows, when, and the
    day it is kept; only its owner ever sees it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("申请人"),
    )
    title = models.CharField(_("名称"), max_length=100)
    total = models.PositiveIntegerField(_("行数"), default=0)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("保留至"), default=_expiry)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"  # type: ignore[attr-defined]

    @classmethod
    def purge_expired(cls) -> int:
        """Remove the jobs (and any file left) past their day."""
        expired = list(cls.objects.filter(expires_at__lte=timezone.now()))  # type: ignore[attr-defined]
        for job in expired:
            if job.file:
                job.file.delete(save=False)
        cls.objects.filter(pk__in=[job.pk for job in expired]).delete()  # type: ignore[attr-defined]
        return len(expired)


class ExportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导出中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ExportJob(Job):
    """One export of a list page with its filters, as its requester saw the page."""

    path = models.CharField(_("页面"), max_length=255)
    #: The list page's class (``module.Class``), as ``common.exports`` registers it.
    page = models.CharField(_("页面类型"), max_length=200)
    query = models.TextField(_("筛选条件"), blank=True)
    state = models.CharField(
        _("状态"), max_length=8, choices=ExportState.choices, default=ExportState.QUEUED
    )
    done = models.PositiveIntegerField(_("已写行数"), default=0)
    file = models.FileField(_("文件"), storage=private_storage, upload_to="exports/", blank=True)
    error = models.CharField(_("错误"), max_length=200, blank=True)

    class Meta(Job.Meta):
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        indexes = [models.Index(fields=["user", "-created_at"], name="exportjob_user_created")]

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


class ImportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已导入")
    REFUSED = "refused", _("未导入")
    FAILED = "failed", _("失败")


class ImportPhase(models.TextChoices):
    READING = "reading", _("读取文件")
    CHECKING = "checking", _("检查数据")
    WRITING = "writing", _("写入")


class ImportJob(Job):
    """One Excel import, read, checked and written by a worker (``common.importjobs``): the
    uploaded file (private storage, removed when the job ends), how far the worker is, and
    its outcome: every bad row's number and reasons, or what was written."""

    #: The app's import function (``module.function``), as ``common.importjobs`` registers it.
    runner = models.CharField(_("导入类型"), max_length=200)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    language = models.CharField(_("语言"), max_length=16, blank=True)
    file = models.FileField(_("文件"), storage=private_storage, upload_to="imports/", blank=True)
    #: The import page (to upload again) and the ledger the rows went into.
    back = models.CharField(_("导入页面"), max_length=255, blank=True)
    target = models.CharField(_("完成后前往"), max_length=255, blank=True)
    state = models.CharField(
        _("状态"), max_length=8, choices=ImportState.choices, default=ImportState.QUEUED
    )
    phase = models.CharField(
        _("阶段"), max_length=8, choices=ImportPhase.choices, default=ImportPhase.READING
    )
    done = models.PositiveIntegerField(_("已处理行数"), default=0)
    written = models.PositiveIntegerField(_("导入条数"), default=0)
    #: Every bad row: ``[{"row": 3, "message": "…"}]``.
    errors = models.JSONField(_("错误"), default=list, blank=True)
    message = models.TextField(_("结果"), blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)

    class Meta(Job.Meta):
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        indexes = [models.Index(fields=["user", "-created_at"], name="importjob_user_created")]

    @property
    def finished(self) -> bool:
        return self.state in (ImportState.DONE, ImportState.REFUSED, ImportState.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return min(99, 100 * self.done // self.total) if self.total else 0
