"""Backup and restore drill: a backup restored into a fresh database and fresh folders has every
row, every public upload and every private file (case photos and the like in PRIVATE_MEDIA_ROOT);
a backup made before private files were included still restores, and says what it lacks."""

import io
import json
import subprocess
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.roles import Role
from cases.models import CaseAttachment
from governance.models import Area, Household
from shell.backup import Target, client_program, table_counts, upload_folders_left_out
from tests.cases.factories import category, photo, report
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


@pytest.fixture
def folders(settings, tmp_path):
    """The installation's upload folders, both in the test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def value(url: str, sql: str) -> str:
    target = Target.from_url(url)
    out = subprocess.run(
        [client_program("psql", 0), "-tAc", sql, *target.args()],
        capture_output=True,
        text=True,
        check=True,
        env=target.env(),
    )
    return out.stdout.strip()


def restore(backup: Path, url: str, into: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "restore",
        str(backup),
        "--database-url",
        url,
        "--media-root",
        str(into / "media"),
        "--private-media-root",
        str(into / "private"),
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(
    tree, make_user, tmp_path, fresh_database, folders
):
    # given: some rows, an encrypted phone, a case photo stored as the app stores one
    # (private storage), and a public upload
    make_user(Role.COMMUNITY_STAFF)
    household(tree["building"])
    report(make_user(Role.GRID_WORKER), tree["estate"], category(), photos=[photo()])
    attachment = CaseAttachment.objects.get()
    private = {
        name: (tmp_path / "private" / name).read_bytes()
        for name in (str(attachment.image.name), str(attachment.thumbnail.name))
    }
    public = default_storage.save("property/agreements/协议.pdf", ContentFile(b"%PDF-1.4 agreed"))
    assert (tmp_path / "media" / public).is_file()
    with connection.cursor() as cursor:
        before = table_counts(cursor)
    # when: backed up and restored into a new database and new folders
    call_command("backup", str(tmp_path / "b.tar"), stdout=io.StringIO())
    out, err = restore(tmp_path / "b.tar", fresh_database, tmp_path / "restored")
    # then: the same rows in every table
    for table in ("governance_area", "governance_household", "accounts_user"):
        assert int(value(fresh_database, f'SELECT count(*) FROM "{table}"')) == before[table] > 0
    assert before["governance_area"] == Area.objects.count()
    assert before["governance_household"] == Household.objects.count()
    # the restored photo row names files that are back, byte for byte, in the private folder
    # (not the public one, which a URL serves)
    names = value(fresh_database, "SELECT image || ' ' || thumbnail FROM cases_caseattachment")
    assert sorted(names.split()) == sorted(private)
    for name, data in private.items():
        assert (tmp_path / "restored" / "private" / name).read_bytes() == data
        assert not (tmp_path / "restored" / "media" / name).exists()
    # and the public upload is back in the public folder
    assert (tmp_path / "restored" / "media" / public).read_bytes() == b"%PDF-1.4 agreed"
    assert "恢复完成" in out and "2 个私有文件" in out
    assert "不含私有文件" not in err


@pytest.mark.django_db(transaction=True)
def test_a_backup_made_before_private_files_were_included_restores_and_says_so(
    tree, tmp_path, fresh_database, folders
):
    # given: an older backup: the database and public uploads only, format 1
    (tmp_path / "media" / "logo.png").parent.mkdir(parents=True)
    (tmp_path / "media" / "logo.png").write_bytes(b"\x89PNG logo")
    call_command("backup", str(tmp_path / "new.tar"), stdout=io.StringIO())
    with tarfile.open(tmp_path / "new.tar") as new, tarfile.open(tmp_path / "old.tar", "w") as old:
        for member in new.getmembers():
            if member.name == "manifest.json":
                manifest = json.loads(new.extractfile(member).read())  # type: ignore[union-attr]
                manifest = {
                    key: item
                    for key, item in manifest.items()
                    if key not in ("private_files", "not_backed_up")
                }
                data = json.dumps({**manifest, "format": 1}).encode()
                member.size = len(data)
                old.addfile(member, io.BytesIO(data))
            elif member.name in ("database.dump", "media.tar"):
                old.addfile(member, new.extractfile(member))
    # when: restored
    out, err = restore(tmp_path / "old.tar", fresh_database, tmp_path / "restored")
    # then: rows and public files are back, and the operator is told to copy the private folder
    assert "恢复完成" in out
    assert int(value(fresh_database, 'SELECT count(*) FROM "governance_area"')) > 0
    assert (tmp_path / "restored" / "media" / "logo.png").read_bytes() == b"\x89PNG logo"
    assert "不含私有文件" in err and "PRIVATE_MEDIA_ROOT" in err
    assert not (tmp_path / "restored" / "private").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tree, tmp_path, folders):
    call_command("backup", str(tmp_path / "b.tar"), stdout=io.StringIO())
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    with pytest.raises(CommandError, match="不是空的"):
        restore(tmp_path / "b.tar", url, tmp_path / "r")


def test_every_upload_folder_of_the_portal_is_in_a_backup(settings, tmp_path):
    """No model keeps its files outside MEDIA_ROOT and PRIVATE_MEDIA_ROOT (the volunteers'
    evidence and photos were once kept beside MEDIA_ROOT, where no backup found them)."""
    from volunteers.models import ProjectEvidence

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    assert upload_folders_left_out() == []
    stored = ProjectEvidence._meta.get_field("file").storage.save(
        "evidence/x.txt", ContentFile(b"x")
    )
    assert (tmp_path / "private" / "volunteers" / stored).read_bytes() == b"x"
