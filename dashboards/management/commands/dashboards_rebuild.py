"""Count the dashboards' rollups again from the case tables, or only fold their journal."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dashboards import services


class Command(BaseCommand):
    help = "重新统计看板汇总数据（按事件表全部重算）；--fold 只合并增量。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fold", action="store_true", help="只把增量合并进汇总表")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["fold"]:
            folded = services.rollups_fold()
            self.stdout.write(f"合并增量 {max(folded, 0)} 组")
            return
        cases = services.rollups_rebuild()
        self.stdout.write(self.style.SUCCESS(f"已按 {cases} 件事件重新统计。"))
