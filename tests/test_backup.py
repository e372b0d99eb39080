"""Backup and restore drill: a backup restored into a fresh database has every row and file."""

import io
import subprocess
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.roles import Role
from governance.models import Area, Household
from shell.backup import Target, client_program, table_counts
from tests.governance.factories import household


@pytest.fixture
def fresh_database():
    name = f"restore_drill_{uuid.uuid4().hex[:8]}"
    target = Target.from_settings({**connection.settings_dict, "NAME": "postgres"})
    psql = client_program("psql", 0)
    subprocess.run(
        [psql, "-qc", f'CREATE DATABASE "{name}"', *target.args()], check=True, env=target.env()
    )
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    yield url
    subprocess.run(
        [psql, "-qc", f'DROP DATABASE IF EXISTS "{name}"', *target.args()],
        check=True,
        env=target.env(),
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(
    tree, make_user, tmp_path, fresh_database, settings
):
    # given: some rows, an encrypted phone, and an uploaded file
    make_user(Role.COMMUNITY_STAFF)
    household(tree["building"])
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "cases").mkdir(parents=True)
    (settings.MEDIA_ROOT / "cases" / "photo.jpg").write_bytes(b"\xff\xd8photo")
    with connection.cursor() as cursor:
        before = table_counts(cursor)
    # when: backed up and restored elsewhere
    call_command("backup", str(tmp_path / "b.tar"), stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "restore",
        str(tmp_path / "b.tar"),
        "--database-url",
        fresh_database,
        "--media-root",
        str(tmp_path / "restored"),
        stdout=out,
    )
    # then: the same rows in every table, and the file
    target = Target.from_url(fresh_database)
    psql = client_program("psql", 0)
    for table in ("governance_area", "governance_household", "accounts_user"):
        n = subprocess.run(
            [psql, "-tAc", f'SELECT count(*) FROM "{table}"', *target.args()],
            capture_output=True,
            text=True,
            check=True,
            env=target.env(),
        )
        assert int(n.stdout) == before[table] > 0
    assert before["governance_area"] == Area.objects.count()
    assert before["governance_household"] == Household.objects.count()
    assert (tmp_path / "restored" / "cases" / "photo.jpg").read_bytes() == b"\xff\xd8photo"
    assert "恢复完成" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tree, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", str(tmp_path / "b.tar"), stdout=io.StringIO())
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    with pytest.raises(CommandError, match="不是空的"):
        call_command(
            "restore",
            str(tmp_path / "b.tar"),
            "--database-url",
            url,
            "--media-root",
            str(tmp_path / "r"),
            stdout=io.StringIO(),
        )
