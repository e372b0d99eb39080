"""``manage.py sweep_overdue``: the overdue sweep of the beat task, run by hand or from cron.

It needs the database only: the messages it causes are written to the outbox with the marks,
and the relay (beat, or ``--send`` here) sends them. It never talks to the broker.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cases.services import outbox_counts, outbox_relay, sweep_overdue
from cases.services.outbox import relay_not_woken


class Command(BaseCommand):
    help = (
        "标记即将超期（黄灯）和已超期（红灯）的事件并通知承办人及上级；可重复运行，不会重复通知。"
        "短信/邮件写入发件箱，由发送任务发出（--send：本命令随即发送）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--send", action="store_true", help="随即发送发件箱中到期的消息（不经消息队列）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with relay_not_woken():
            counts = sweep_overdue()
        self.stdout.write(f"红灯 {counts['red']} 件，黄灯 {counts['yellow']} 件")
        if options["send"]:
            sent = outbox_relay()
            self.stdout.write(
                f"已发送 {sent['sent']} 条，待重试 {sent['retried']} 条，失败 {sent['failed']} 条"
            )
        self.stdout.write(f"发件箱待发送 {outbox_counts()['pending']} 条")
