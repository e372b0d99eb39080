"""A grid edited by two people: the second save, on the version the first replaced, is refused
with what differs (page and API); the create form submitted twice makes one grid."""

import re

import pytest
from django.test import Client

from accounts.roles import Role
from grids.models import Grid

from .factories import grid

pytestmark = pytest.mark.django_db


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _edit(target, **changes):
    data = {"code": target.code, "name": target.name, "kind": target.kind, "boundary": "",
            "is_active": "on", "note": target.note, "version": target.version}  # fmt: skip
    data.update(changes)
    return data


def test_a_stale_grid_edit_on_the_page_is_refused_and_the_first_kept(make_user, tree):
    target = grid(tree["community"])
    first, second = make_user(Role.COMMUNITY_STAFF), make_user(Role.COMMUNITY_STAFF)
    url = f"/grids/{target.pk}/edit/"
    assert 'name="version" value="1"' in _signed_in(second).get(url).content.decode()
    assert _signed_in(first).post(url, _edit(target, note="含两栋楼")).status_code == 302
    late = _signed_in(second).post(url, _edit(target, name="改名网格"))
    assert late.status_code == 200
    html = late.content.decode()
    assert "他人已修改并保存了这条记录" in html
    assert "备注：他人保存为“含两栋楼”，您填写的是“（空）”" in html
    target.refresh_from_db()
    assert (target.note, target.name, target.version) == ("含两栋楼", target.name, 2)
    assert target.name != "改名网格"


def test_a_stale_grid_patch_is_a_409_and_a_patch_needs_the_version(make_user, tree, api_for):
    target = grid(tree["community"])
    client = api_for(make_user(Role.COMMUNITY_STAFF))
    url = f"/api/v1/grids/{target.pk}/"
    assert client.get(url).json()["version"] == 1
    assert client.patch(url, {"note": "一", "version": 1}, format="json").status_code == 200
    late = client.patch(url, {"note": "二", "version": 1}, format="json")
    assert late.status_code == 409 and "备注" in late.json()["detail"]
    assert client.patch(url, {"note": "三"}, format="json").status_code == 400
    target.refresh_from_db()
    assert (target.note, target.version) == ("一", 2)


def test_the_grid_form_submitted_twice_makes_one_grid(make_user, tree):
    client = _signed_in(make_user(Role.COMMUNITY_STAFF))
    page = client.get("/grids/new/").content.decode()
    found = re.search(r'name="once_token" value="([^"]+)"', page)
    assert found, "the form carries a one-time token"
    token = found.group(1)
    data = {"community": tree["community"].pk, "code": "G90001", "name": "新网格",
            "kind": "urban", "boundary": "", "note": "", "once_token": token}  # fmt: skip
    first = client.post("/grids/new/", data)
    second = client.post("/grids/new/", data, follow=True)
    made = Grid.objects.get(code="G90001")
    assert first.status_code == 302 and first["Location"] == second.redirect_chain[0][0]
    assert f"/grids/{made.pk}/" in first["Location"]
    assert "该表单已经提交过，未重复保存。" in second.content.decode()
    assert Grid.objects.filter(name="新网格").count() == 1
