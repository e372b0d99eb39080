"""Back-office edits of versioned rows (common.admin.VersionedAdminMixin): the change form
carries the version it was read at; a save on a version someone else replaced shows the
conflict and changes nothing; a save on the current version is written and bumps it."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from accounts.roles import Role
from common import admin as versioned_admin
from grids import services as grid_services
from grids.models import Grid
from tests.governance.factories import household, resident
from tests.grids.factories import grid

pytestmark = pytest.mark.django_db

STALE = "他人已修改并保存了这条记录"


def _superuser(make_user: Any) -> Client:
    client = Client()
    client.force_login(make_user(Role.DISTRICT_ADMIN, is_staff=True, is_superuser=True))
    return client


def _posted(page: str) -> dict[str, Any]:
    """What the change form would post as rendered: its inputs, selected options and texts."""
    form = re.search(r'<form[^>]*id="\w+_form"[^>]*>(.*?)</form>', page, re.S)
    assert form, "no change form"
    body = form.group(1)
    data: dict[str, Any] = {}
    for tag in re.findall(r"<input\b[^>]*>", body):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or re.search(r'type="(submit|button|file)"', tag):
            continue
        if re.search(r'type="checkbox"', tag) and " checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = html.unescape(value.group(1)) if value else "on"
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = chosen if len(chosen) > 1 else (chosen[0] if chosen else "")
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', body, re.S):
        data[name] = html.unescape(text.lstrip("\n"))
    return data


def test_a_stale_grid_save_in_the_admin_shows_the_conflict_and_changes_nothing(make_user, tree):
    # given a grid's change form opened at version 1
    target = grid(tree["community"], note="原备注")
    client = _superuser(make_user)
    url = f"/admin/grids/grid/{target.pk}/change/"
    data = _posted(client.get(url).content.decode())
    assert data["seen_version"] == "1"
    # when someone saves the grid on its page, and then the admin form is saved
    grid_services.grid_update(actor=None, grid=target, seen_version=1, note="他人的备注")
    late = client.post(url, {**data, "name": "后台改名"})
    # then the form comes back with what differs, and the grid keeps the other save
    assert late.status_code == 200
    page = late.content.decode()
    assert STALE in page and "备注：他人保存为“他人的备注”，您填写的是“原备注”" in page
    target.refresh_from_db()
    assert (target.note, target.version) == ("他人的备注", 2) and target.name != "后台改名"


def test_a_current_grid_save_in_the_admin_is_written_and_bumps_the_version(make_user, tree):
    target = grid(tree["community"])
    client = _superuser(make_user)
    url = f"/admin/grids/grid/{target.pk}/change/"
    data = _posted(client.get(url).content.decode())
    assert client.post(url, {**data, "note": "后台备注"}).status_code == 302
    target.refresh_from_db()
    assert (target.note, target.version) == ("后台备注", 2)
    # so an edit page opened before it is refused in turn
    stale_page = {"code": target.code, "name": "页面改名", "kind": target.kind, "boundary": "",
                  "is_active": "on", "note": "", "version": 1}  # fmt: skip
    assert STALE in client.post(f"/grids/{target.pk}/edit/", stale_page).content.decode()


def test_a_stale_resident_save_in_the_admin_changes_nothing(make_user, tree):
    person = resident(household(tree["building"], room="501"), name="王阿姨")
    client = _superuser(make_user)
    url = f"/admin/governance/resident/{person.pk}/change/"
    data = _posted(client.get(url).content.decode())
    assert data["seen_version"] == "1"
    type(person).objects.filter(pk=person.pk).update(version=2, name="王阿姨（改）")
    late = client.post(url, data)
    assert late.status_code == 200 and STALE in late.content.decode()
    person.refresh_from_db()
    assert (person.name, person.version) == ("王阿姨（改）", 2)


def test_an_admin_save_losing_the_race_after_its_check_is_refused_too(make_user, tree, monkeypatch):
    # given a form whose check passed, and a save made in between (as if at the same moment)
    target = grid(tree["community"], note="原备注")
    client = _superuser(make_user)
    url = f"/admin/grids/grid/{target.pk}/change/"
    data = _posted(client.get(url).content.decode())
    real = versioned_admin.save_versioned

    def racing(obj: Any, *, seen: int | None, fields: Any) -> None:
        Grid.objects.filter(pk=obj.pk).update(version=2, note="同时保存的")
        real(obj, seen=seen, fields=fields)

    monkeypatch.setattr(versioned_admin, "save_versioned", racing)
    # when the admin saves
    response = client.post(url, {**data, "name": "后台改名"}, follow=True)
    # then it is back on the change form with the message, and nothing of its edit written
    assert response.redirect_chain[-1][0].endswith(url)
    assert STALE in response.content.decode()
    target.refresh_from_db()
    assert target.name != "后台改名"
