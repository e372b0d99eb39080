"""Load the demo district of the seed report. Idempotent: a second run adds nothing."""

from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

#: Each app's demo module, in dependency order (``shell.demo`` is the demo accounts, which
#: need the territory). Later apps add theirs here. The case
#: categories (cases.demo) come before the grids' visits, whose problems are reported as cases.
DEMO_STEPS = [
    "governance.demo",
    "shell.demo",
    "cases.demo",
    "grids.demo",
    "volunteers.demo",
    "volunteers.demo_service",
    "property_mgmt.demo",
    "supports.demo",
    "dashboards.demo",
]


class Command(BaseCommand):
    help = "载入演示区（台儿庄区）数据和演示账号；可重复运行，不会重复创建。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-demo-passwords",
            action="store_true",
            help="在 DEBUG 关闭时仍创建使用公开演示密码的账号（仅限演示环境）。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_demo_passwords"]:
            raise CommandError(
                "DJANGO_DEBUG 已关闭：演示账号使用公开密码，需加 --allow-demo-passwords 才能创建。"
            )
        with transaction.atomic():
            for module in DEMO_STEPS:
                import_module(module).seed(lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
