import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from governance import services
from governance.models import NeedStatus

pytestmark = pytest.mark.django_db


def test_a_need_is_taken_then_done(people, make_user, api_for):
    worker = make_user(Role.GRID_WORKER)
    client = api_for(worker)
    need = people["need"]
    body = client.post(f"/api/v1/needs/{need.pk}/take/", {"taken_by": "红马甲公益团队"}).json()
    assert body["status"] == NeedStatus.TAKEN and body["taken_by"] == "红马甲公益团队"
    body = client.post(f"/api/v1/needs/{need.pk}/complete/", {"result": "已更换灯泡"}).json()
    assert body["status"] == NeedStatus.DONE and body["done_on"]


def test_the_second_of_two_takers_gets_a_409_and_changes_nothing(people, make_user, api_for):
    first, second = make_user(Role.COMMUNITY_STAFF), make_user(Role.GRID_WORKER)
    need = people["need"]
    stale = type(need).objects.get(pk=need.pk)
    services.need_take(actor=first, need=need, taken_by="甲")
    response = api_for(second).post(f"/api/v1/needs/{stale.pk}/take/", {"taken_by": "乙"})
    assert response.status_code == 409
    need.refresh_from_db()
    assert need.taken_by == "甲"


def test_the_district_leader_reads_but_does_not_handle_needs(people, make_user):
    with pytest.raises(PermissionDenied):
        services.need_take(actor=make_user(Role.DISTRICT_LEADER), need=people["need"], taken_by="")


def test_a_need_is_recorded_from_the_household_page(people, make_user, client):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    home = people["household"]
    response = client.post(
        f"/governance/households/{home.pk}/needs/",
        {"kind": "elderly_care", "description": "老人希望助餐服务"},
        follow=True,
    )
    assert "老人希望助餐服务" in response.content.decode()
    assert home.needs.count() == 2


def test_the_api_records_a_need_with_clear_errors(people, make_user, api_for):
    client = api_for(make_user(Role.COMMUNITY_STAFF))
    bad = client.post(
        "/api/v1/needs/", {"household": people["household"].pk, "kind": "x", "description": "d"}
    )
    assert bad.status_code == 400 and "需求类别无效" in str(bad.json()["fields"])
    good = client.post(
        "/api/v1/needs/",
        {"household": people["household"].pk, "kind": "health", "description": "测血压"},
    )
    assert good.status_code == 201 and good.json()["status"] == "open"


def test_the_second_taker_on_the_page_is_told_it_is_taken(people, make_user, client):
    need = people["need"]
    services.need_take(actor=make_user(Role.COMMUNITY_STAFF), need=need, taken_by="甲")
    client.force_login(make_user(Role.GRID_WORKER))
    response = client.post(
        f"/governance/needs/{need.pk}/take/", {"taken_by": "乙", "next": "needs"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/governance/ledgers/needs/"
    assert "该需求已被认领或已办结" in response.content.decode()
    need.refresh_from_db()
    assert need.taken_by == "甲"


def test_the_needs_ledger_opens_the_household_of_a_need(people, make_user, client):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    page = client.get("/governance/ledgers/needs/?o=raised_on").content.decode()
    household = people["need"].household_id
    assert f'<a href="/governance/households/{household}/">' in page
    assert '<a href="?o=-raised_on">登记日期 ↑</a>' in page
