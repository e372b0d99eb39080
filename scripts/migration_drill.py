#!/usr/bin/env python
"""Migrate a database that an older commit made and seeded to this tree's code, and compare.

    .venv/bin/python scripts/migration_drill.py [--from COMMIT] [--database NAME]

The older code (by default the commit before the house moved its tables) is unpacked with
``git archive`` into a temporary folder; it migrates a fresh database and loads the demo
district there. Then this tree's code migrates the same database in place. The drill prints
the rows of every model before and after, by model label, and fails when a count changed or a
model lost its rows: moving a table between apps must move no row and lose none.

Needs ``DATABASE_URL`` pointing at a PostgreSQL server where it may create and drop ``NAME``
(``portal_migration_drill``), and ``REDIS_URL`` for ``seed_demo``'s notifications.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
#: The last commit before issue 10 moved Department, PropertyCompany and LoadMarker.
DEFAULT_FROM = "08a9798"
#: Models that moved, old label → new label.
MOVED = {
    "volunteers.department": "governance.department",
    "property_mgmt.propertycompany": "governance.propertycompany",
    "dashboards.loadmarker": "bench.loadmarker",
}

#: Framework tables that grow with the models this tree adds; they may only grow.
GROWING = {"auth.permission", "contenttypes.contenttype"}

COUNT = """
import json, django
django.setup()
from django.apps import apps
print(json.dumps({m._meta.label_lower: m._default_manager.count()
                  for m in apps.get_models() if m._meta.managed}))
"""


def database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def isolated(code_dir: Path, env: dict[str, str]) -> dict[str, str]:
    """``env`` for running the older code in ``code_dir`` on this virtual environment's
    libraries, but not on this tree's packages: the project's editable install maps every
    package name to this tree, which would fill in any module the older tree lacks. With
    ``python -S`` no ``.pth`` file runs, so the libraries come from ``PYTHONPATH`` alone."""
    paths = sysconfig.get_paths()
    libraries = dict.fromkeys([paths["purelib"], paths["platlib"]])
    return {**env, "PYTHONPATH": os.pathsep.join([str(code_dir), *libraries]), "OLD_TREE": "1"}


def run(code_dir: Path, env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "-S", *args] if env.get("OLD_TREE") else [sys.executable, *args]
    result = subprocess.run(command, cwd=code_dir, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout[-2000:], result.stderr[-4000:], sep="\n")
        result.check_returncode()
    return result.stdout


def counts(code_dir: Path, env: dict[str, str]) -> dict[str, int]:
    return json.loads(run(code_dir, env, "-c", COUNT).strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="commit", default=DEFAULT_FROM)
    parser.add_argument("--database", default="portal_migration_drill")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        print("DATABASE_URL is needed")
        return 2
    admin = database_url("postgres")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(args.database),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "PYTHONPATH": "",
    }
    subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{args.database}"'], check=True)
    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{args.database}"'], check=True)
    with tempfile.TemporaryDirectory() as folder:
        old = Path(folder)
        archive = subprocess.run(
            ["git", "archive", "--format=tar", args.commit],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
        archive_path = old / "old.tar"
        archive_path.write_bytes(archive)
        with tarfile.open(archive_path) as tar:
            tar.extractall(old, filter="data")
        print(f"[drill] {args.commit}: migrate and seed_demo")
        old_env = isolated(old, env)
        run(old, old_env, "manage.py", "migrate", "--noinput", "-v", "0")
        run(old, old_env, "manage.py", "compilemessages", "-v", "0", "--ignore=.venv")
        run(old, old_env, "manage.py", "seed_demo")
        before = counts(old, old_env)
    print("[drill] this tree: migrate in place")
    run(ROOT, env, "manage.py", "migrate", "--noinput", "-v", "0")
    after = counts(ROOT, env)

    failures = []
    print(f"{'model':42} {'before':>9} {'after':>9}")
    for label, n in sorted(before.items()):
        new_label = MOVED.get(label, label)
        m = after.get(new_label)
        shown = label if new_label == label else f"{label} → {new_label}"
        print(f"{shown:42} {n:>9} {'—' if m is None else m:>9}")
        if m is None or (m < n if label in GROWING else m != n):
            failures.append(shown)
    total = sum(before.values())
    print(f"[drill] {len(before)} models, {total} rows before")
    subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{args.database}"'], check=True)
    if failures:
        print(f"[drill] FAILED: rows changed in {', '.join(failures)}")
        return 1
    print("[drill] every row is still there")
    return 0


if __name__ == "__main__":
    sys.exit(main())
