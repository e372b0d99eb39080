"""``manage.py outbox_relay``: send the due messages of the outbox now, in this process (the
beat task does the same every few seconds); ``--retry-failed`` first puts failed ones back."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cases.services import outbox_counts, outbox_relay, outbox_retry


class Command(BaseCommand):
    help = (
        "发送发件箱中到期的短信/邮件（不经消息队列）；--retry-failed 先将发送失败的消息重新排队。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--retry-failed", action="store_true", help="将发送失败的消息重新排队")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["retry_failed"]:
            self.stdout.write(f"重新排队 {outbox_retry()} 条")
        sent = outbox_relay()
        counts = outbox_counts()
        self.stdout.write(
            f"已发送 {sent['sent']} 条，待重试 {sent['retried']} 条，失败 {sent['failed']} 条；"
            f"发件箱：待发送 {counts['pending']}，已发送 {counts['sent']}，失败 {counts['failed']}"
        )
