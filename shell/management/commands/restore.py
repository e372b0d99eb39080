"""``manage.py restore FILE --database-url URL``: into a new, empty database, then compare."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shell.backup import BackupError, Target, restore


class Command(BaseCommand):
    help = "把 backup 生成的文件恢复到一个新的空数据库，并逐表核对行数。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--database-url", required=True, help="目标数据库（须为空），如 postgres://…/portal"
        )
        parser.add_argument(
            "--media-root", default=None, help="上传文件恢复到哪里（默认 MEDIA_ROOT）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        media_root = Path(options["media_root"] or settings.MEDIA_ROOT)
        try:
            result = restore(
                Path(options["file"]),
                target=Target.from_url(options["database_url"]),
                media_root=media_root,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result["restored_counts"].values())
        self.stdout.write(
            f"恢复完成: {len(result['restored_counts'])} 张表 {rows} 行, "
            f"{result['media_files']} 个上传文件 → {media_root}"
        )
        if not result["key_matches"]:
            self.stderr.write(
                "警告：当前 PERSONAL_DATA_KEY 与备份时不同，身份证号和手机号将无法解密。"
            )
        if result["mismatches"]:
            raise CommandError(f"行数不一致: {result['mismatches']}")
