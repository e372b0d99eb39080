"""In-app notifications (the bell), once per recipient and event."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .case import Case
from .choices import NotificationKind


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notification (the bell). ``key`` makes "once per event" a database fact:
    a second sweep or a second worker inserting the same event inserts nothing."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="case_notifications",
        verbose_name=_("接收人"),
    )
    kind = models.CharField(_("类型"), max_length=12, choices=NotificationKind.choices)
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("事件"),
    )
    text = models.CharField(_("内容"), max_length=300)
    #: What the text is rendered from in the reader's language (cases.notify.notice_text).
    params = models.JSONField(_("参数"), default=dict, blank=True)
    key = models.CharField(_("事件键"), max_length=120)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("短信/邮件发送时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once"),
        ]
        indexes = [
            models.Index(
                fields=["recipient"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
        ]

    def __str__(self) -> str:
        return self.text
