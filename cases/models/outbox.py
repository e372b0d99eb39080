"""The message outbox: each SMS / e-mail is a row written in the transaction of the change that
causes it, and sent later by the relay (``cases.services.outbox``).

A row is never lost with the broker, a worker or the channel: it stays ``pending`` until the
channel has accepted it, is retried with a growing delay, and turns ``failed`` (visible in the
back office, retried from there) after a bounded number of attempts. ``key`` is unique, so the
same event written twice gives one message, and it is handed to the channel as its idempotency
key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .case import Case


class OutboxState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OutboxMessage(models.Model):
    key = models.CharField(_("消息键"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="outbox_messages",
        verbose_name=_("接收人"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("事件"),
    )
    case_number = models.CharField(_("事件编号"), max_length=40, blank=True)
    event = models.CharField(_("类型"), max_length=40)
    #: The notification this message carries (its recipient and key), stamped when sent.
    notification_key = models.CharField(_("通知事件键"), max_length=120, blank=True)
    text = models.TextField(_("内容"))
    state = models.CharField(
        _("状态"), max_length=8, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("写入时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("消息发件箱")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                name="outbox_due",
                condition=Q(state="pending"),
            ),
            models.Index(fields=["state", "-created_at"], name="outbox_state"),
        ]

    def __str__(self) -> str:
        return self.key
