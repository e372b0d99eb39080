"""``manage.py backup FILE``: the database, the public uploads, the private files and a manifest
in one tar file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shell.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "备份数据库、上传文件（MEDIA_ROOT）和私有文件（PRIVATE_MEDIA_ROOT）到一个 tar 文件"
        "（不含 PERSONAL_DATA_KEY，须另行保管）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="备份文件路径，如 backups/portal-20261202.tar")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"备份完成: {len(manifest['counts'])} 张表 {rows} 行, "
            f"{manifest['media_files']} 个上传文件, {manifest['private_files']} 个私有文件"
            f" → {options['file']}"
        )
        self.stdout.write("PERSONAL_DATA_KEY 不在备份中：请把它与备份分开保管，恢复时一并提供。")
        if manifest["not_backed_up"]:
            self.stderr.write(
                "警告：以下文件夹不在 MEDIA_ROOT 或 PRIVATE_MEDIA_ROOT 之下，其中的文件未备份: "
                + ", ".join(manifest["not_backed_up"])
            )
