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
        parser.add_argument(
            "--private-media-root",
            default=None,
            help="私有文件恢复到哪里（默认 PRIVATE_MEDIA_ROOT）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        media_root = Path(options["media_root"] or settings.MEDIA_ROOT)
        private_root = Path(options["private_media_root"] or settings.PRIVATE_MEDIA_ROOT)
        try:
            result = restore(
                Path(options["file"]),
                target=Target.from_url(options["database_url"]),
                media_root=media_root,
                private_media_root=private_root,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result["restored_counts"].values())
        private = (
            f", {result['private_files']} 个私有文件 → {private_root}"
            if result["private_files"] is not None
            else ""
        )
        self.stdout.write(
            f"恢复完成: {len(result['restored_counts'])} 张表 {rows} 行, "
            f"{result['media_files']} 个上传文件 → {media_root}{private}"
        )
        if result["private_files"] is None:
            self.stderr.write(
                "注意：这是旧格式的备份，不含私有文件（PRIVATE_MEDIA_ROOT：事件照片、经费凭证、"
                "导入导出文件等）。请从原服务器把该文件夹另行复制到 "
                f"{private_root}，否则这些文件无法打开。"
            )
        if result.get("not_backed_up"):
            self.stderr.write(
                "注意：备份时以下文件夹未包含在内，其中的文件须另行复制: "
                + ", ".join(result["not_backed_up"])
            )
        if not result["key_matches"]:
            self.stderr.write(
                "警告：当前 PERSONAL_DATA_KEY 与备份时不同，身份证号和手机号将无法解密。"
            )
        if result["mismatches"]:
            raise CommandError(f"行数不一致: {result['mismatches']}")
