"""``manage.py sweep_overdue``: the overdue sweep of the beat task, run by hand or from cron."""

from typing import Any

from django.core.management.base import BaseCommand

from cases.services import sweep_overdue


class Command(BaseCommand):
    help = (
        "标记即将超期（黄灯）和已超期（红灯）的事件并通知承办人及上级；可重复运行，不会重复通知。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = sweep_overdue()
        self.stdout.write(f"红灯 {counts['red']} 件，黄灯 {counts['yellow']} 件")
