"""The volunteer service's pages: every ledger with filters, sorting, paging and Excel
export in a constant number of queries; scoping (404 outside it); the phone pages."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from governance.models import Area
from tests.cases.factories import photo
from tests.grids.factories import grid
from volunteers import services
from volunteers.models import AttendanceState, SignupChannel, Wish, WishState

from . import factories

pytestmark = pytest.mark.django_db

LISTS = [
    "/volunteers/service/teams/",
    "/volunteers/service/volunteers/",
    "/volunteers/service/activities/",
    "/volunteers/service/attendance/",
    "/volunteers/service/points/",
    "/volunteers/service/shop/",
    "/volunteers/service/wishes/",
    "/volunteers/service/micro/",
]


def _rows(community: Area, n: int) -> None:
    """``n`` of everything each list shows, in ``community``."""
    team = factories.team(community)
    service = services.micro_service_add(
        actor=None, community=community, kind="elderly", title=f"助餐{n}", team=team
    )
    for k in range(n):
        volunteer = factories.volunteer(community, team=team)
        activity = factories.activity(community, team=team)
        attendance = services.attendance_signup(actor=None, activity=activity, volunteer=volunteer)
        services.attendance_approve(actor=None, attendance=attendance, hours=Decimal(1))
        services.shop_item_add(
            actor=None, community=community, name=f"物品{n}-{k}", points=5, stock=3
        )
        wish = services.wish_post(
            actor=None, community=community, beneficiary="李爷爷", title=f"心愿{k}"
        )
        services.wish_review(actor=None, wish=wish, approve=True)
        services.micro_record_add(
            actor=None, service=service, served_on=timezone.localdate(), resident_name="张奶奶"
        )


@pytest.mark.parametrize("url", LISTS)
def test_each_list_costs_the_same_queries_for_2_rows_and_for_20(
    url, tree, client, staff, count_queries
):
    client.force_login(staff)
    _rows(tree["community"], 2)
    client.get(url)  # the filter bar is kept from the first page on (common.fragments)
    few = count_queries(client, url)
    _rows(tree["community"], 18)
    assert count_queries(client, url) == few
    # sorted by every column and filtered, still answering
    assert client.get(f"{url}?o=-community&q=1").status_code == 200


def test_the_activity_list_filters_sorts_pages_and_exports(tree, client, staff):
    # given: 25 activities, one of them a talk with 30 listeners
    client.force_login(staff)
    for _k in range(24):
        factories.activity(tree["community"])
    talk = factories.activity(tree["community"], kind="talk", title="防范电信网络诈骗宣讲")
    services.activity_record_served(actor=staff, activity=talk, attendance_count=30)
    # when / then: paging, filter, sort
    page = client.get("/volunteers/service/activities/")
    assert page.context["page"].paginator.count == 25
    assert len(page.context["table"]) == 20
    talks = client.get("/volunteers/service/activities/?kind=talk&o=-audience")
    assert [r.obj.pk for r in talks.context["table"]] == [talk.pk]
    # the Excel file carries the filtered rows with Chinese headers
    export = client.get("/volunteers/service/activities/?kind=talk&export=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "活动名称" and "听众人次" in rows[0]
    assert len(rows) == 2 and rows[1][0] == "防范电信网络诈骗宣讲" and 30 in rows[1]


def test_phones_are_masked_on_the_list_and_in_the_export(tree, client, staff):
    client.force_login(staff)
    factories.volunteer(tree["community"], name="赵志愿")
    page = client.get("/volunteers/service/volunteers/").content.decode()
    export = client.get("/volunteers/service/volunteers/?export=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    for shown in (page, text):
        assert "赵志愿" in shown
        assert "138****" in shown
        assert not any(f"138{n:08d}" in shown for n in range(1, 500))


def test_objects_of_another_community_are_404_and_lists_leave_them_out(tree, client, make_user):
    # given: a volunteer, team, activity and wish of 乙社区
    other = tree["other_community"]
    volunteer = factories.volunteer(other, name="乙社区志愿者")
    team = factories.team(other)
    activity = factories.activity(other)
    wish = services.wish_post(actor=None, community=other, beneficiary="乙", title="乙的心愿")
    client.force_login(make_user("community_staff"))
    # when / then
    for url in (
        f"/volunteers/service/volunteers/{volunteer.pk}/",
        f"/volunteers/service/volunteers/{volunteer.pk}/certificate.pdf",
        f"/volunteers/service/teams/{team.pk}/",
        f"/volunteers/service/activities/{activity.pk}/",
        f"/volunteers/service/wishes/{wish.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/volunteers/service/wishes/{wish.pk}/publish/")
    assert response.status_code == 404
    assert "乙社区志愿者" not in client.get("/volunteers/service/volunteers/").content.decode()
    # the street of 乙社区 sees it
    client.force_login(make_user("street_staff", "other_street"))
    assert client.get(f"/volunteers/service/volunteers/{volunteer.pk}/").status_code == 200


def test_a_department_liaison_and_the_auditor_may_not_open_the_service(client, make_user):
    for role in ("department_liaison", "auditor"):
        client.force_login(make_user(role))
        assert client.get("/volunteers/service/activities/").status_code == 403


def test_the_certificate_is_a_pdf_with_the_hours(tree, client, staff):
    volunteer = factories.volunteer(tree["community"])
    attendance = services.attendance_signup(
        actor=None, activity=factories.activity(tree["community"]), volunteer=volunteer
    )
    services.attendance_approve(actor=None, attendance=attendance, hours=Decimal(2))
    client.force_login(staff)
    response = client.get(f"/volunteers/service/volunteers/{volunteer.pk}/certificate.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_staff_run_an_activity_from_its_page(tree, client, staff):
    # given: an activity that started an hour ago and a registered volunteer
    client.force_login(staff)
    activity = factories.activity(tree["community"], hours=2)
    volunteer = factories.volunteer(tree["community"], name="钱志愿")
    url = f"/volunteers/service/activities/{activity.pk}/"
    page = client.get(url).content.decode()
    assert 'data-testid="signup-qr"' in page and "<svg" in page
    # when: sign-up, check-in, an approval over the length, then a right one
    client.post(f"{url}signup/", {"volunteer": volunteer.pk})
    attendance = activity.attendances.get()
    client.post(f"{url}check_in/", {"attendance": attendance.pk})
    refused = client.post(
        f"{url}approve/", {"attendance": attendance.pk, "hours": "3"}, follow=True
    )
    assert "不超过活动时长 2.0 小时" in refused.content.decode()
    client.post(f"{url}approve/", {"attendance": attendance.pk, "hours": "1.5"})
    # then
    attendance.refresh_from_db()
    volunteer.refresh_from_db()
    assert attendance.state == AttendanceState.APPROVED
    assert (volunteer.hours, volunteer.points) == (Decimal("1.5"), 15)


def test_a_volunteer_signs_up_checks_in_and_claims_a_wish_on_the_phone(tree, client):
    # given: a volunteer's own link, an activity starting now, a wish on the board
    volunteer = factories.volunteer(tree["community"], name="孙志愿")
    activity = factories.activity(
        tree["community"], starts_at=timezone.now() - timedelta(minutes=5)
    )
    wish = services.wish_post(
        actor=None, community=tree["community"], beneficiary="周奶奶", title="老花镜"
    )
    services.wish_review(actor=None, wish=wish, approve=True)
    url = f"/volunteers/service/v/{volunteer.access_token}/"
    page = client.get(url, HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
    assert page.status_code == 200
    text = page.content.decode()
    assert activity.title in text and "老花镜" in text and 'name="viewport"' in text
    # when: sign up, check in, claim, fulfil with a photo
    client.post(url, {"action": "signup", "id": activity.pk})
    attendance = volunteer.attendances.get()
    assert attendance.channel == SignupChannel.PHONE
    client.post(url, {"action": "check_in", "id": attendance.pk})
    client.post(url, {"action": "claim", "id": wish.pk})
    client.post(url, {"action": "fulfil", "id": wish.pk, "photo": photo()})
    # then
    attendance.refresh_from_db()
    wish.refresh_from_db()
    assert attendance.state == AttendanceState.CHECKED_IN
    assert (wish.state, wish.claimant_name) == (WishState.FULFILLED, "孙志愿")
    # another volunteer's attendance is not theirs to touch
    other = factories.volunteer(tree["community"])
    theirs = services.attendance_signup(actor=None, activity=activity, volunteer=other)
    assert client.post(url, {"action": "check_in", "id": theirs.pk}).status_code == 404


def test_the_qr_sign_up_page_takes_a_registered_phone_only(tree, client):
    activity = factories.activity(tree["community"], starts_at=timezone.now() + timedelta(days=1))
    factories.volunteer(tree["community"], name="吴志愿")
    url = f"/volunteers/service/join/{activity.signup_token}/"
    unknown = client.post(url, {"phone": "13700000000"}, follow=True).content.decode()
    assert "不是甲社区登记的志愿者" in unknown
    volunteer = activity.community.volunteers.get()
    client.post(url, {"phone": volunteer.phone})
    assert activity.attendances.get().volunteer == volunteer


def test_wishes_age_visibly_on_the_board(tree, client, staff):
    client.force_login(staff)
    wish = services.wish_post(
        actor=None, community=tree["community"], beneficiary="郑", title="棉被"
    )
    services.wish_review(actor=None, wish=wish, approve=True)
    Wish.objects.filter(pk=wish.pk).update(published_at=timezone.now() - timedelta(days=40))
    page = client.get("/volunteers/service/wishes/?waiting_over=30").content.decode()
    assert "已等待 40 天" in page and "badge--urgent" in page
    assert (
        client.get("/volunteers/service/wishes/?waiting_over=50").context["page"].paginator.count
        == 0
    )


def test_grid_pages_show_a_grid_team(tree, client, staff):
    client.force_login(staff)
    g = grid(tree["community"])
    team = services.team_create(
        actor=staff, community=tree["community"], name="第1网格志愿服务队", kind="grid", grid=g
    )
    page = client.get("/volunteers/service/teams/?kind=grid").content.decode()
    assert team.name in page


def test_the_admin_lists_the_volunteers_of_the_scope_with_phones_masked(tree, client, make_user):
    factories.volunteer(tree["community"], name="甲志愿者")
    factories.volunteer(tree["other_community"], name="乙志愿者")
    client.force_login(make_user("community_staff", is_staff=True))
    page = client.get("/admin/volunteers/volunteer/").content.decode()
    assert "甲志愿者" in page and "乙志愿者" not in page and "138****" in page
    assert client.get("/admin/volunteers/pointsentry/").status_code == 200
    assert client.get("/admin/volunteers/volunteer/add/").status_code == 403


def _busy(community: Area, n: int, team, activity) -> object:
    """A volunteer with ``n`` approved attendances, and ``n`` more sign-ups on ``activity``."""
    volunteer = factories.volunteer(community, team=team)
    for _k in range(n):
        other = factories.activity(community, team=team)
        attendance = services.attendance_signup(actor=None, activity=other, volunteer=volunteer)
        services.attendance_approve(actor=None, attendance=attendance, hours=Decimal(1))
        services.attendance_signup(
            actor=None, activity=activity, volunteer=factories.volunteer(community, team=team)
        )
    return volunteer


def test_detail_pages_cost_the_same_queries_for_2_rows_and_for_20(
    tree, client, staff, count_queries
):
    # given: a team, an activity, a volunteer with 2 and then 20 of everything
    client.force_login(staff)
    community = tree["community"]
    team = factories.team(community)
    activity = factories.activity(community, team=team, capacity=100)
    few_volunteer = _busy(community, 2, team, activity)

    def urls(volunteer: object) -> list[str]:
        return [
            f"/volunteers/service/teams/{team.pk}/",
            f"/volunteers/service/activities/{activity.pk}/",
            f"/volunteers/service/volunteers/{volunteer.pk}/",  # type: ignore[attr-defined]
            f"/volunteers/service/v/{volunteer.access_token}/",  # type: ignore[attr-defined]
            "/volunteers/service/",
        ]

    few = [count_queries(client, url) for url in urls(few_volunteer)]
    many_volunteer = _busy(community, 18, team, activity)
    assert [count_queries(client, url) for url in urls(many_volunteer)] == few


def test_residents_served_are_recorded_from_the_target_groups(tree, client, staff, elder):
    client.force_login(staff)
    activity = factories.activity(tree["community"], target_tags=["living_alone"])
    url = f"/volunteers/service/activities/{activity.pk}/"
    assert "王奶奶" in client.get(url).content.decode()
    client.post(f"{url}served/", {"residents": [elder.pk]})
    activity.refresh_from_db()
    assert list(activity.residents_served.all()) == [elder] and activity.served_count == 1


def test_a_person_in_two_teams_counts_once_and_hours_add_up_per_community(tree, client, staff):
    # given: one volunteer in two teams, serving at an activity of each
    client.force_login(staff)
    first, second = factories.team(tree["community"]), factories.team(tree["community"])
    volunteer = factories.volunteer(tree["community"], team=first)
    services.team_join(actor=staff, team=second, volunteer=volunteer)
    for team in (first, second):
        attendance = services.attendance_signup(
            actor=staff, activity=factories.activity(tree["community"], team=team),
            volunteer=volunteer,
        )  # fmt: skip
        services.attendance_approve(actor=staff, attendance=attendance, hours=Decimal("1.5"))
    # when
    home = client.get("/volunteers/service/")
    # then: one volunteer, three hours in the community; each team counts its own hours
    figures = {f.key: f.value for f in home.context["figures"]}
    assert figures["volunteers"] == 1
    (row,) = home.context["communities"]
    assert (row.name, row.hours, row.people) == ("甲社区", Decimal("3.0"), 1)
    team_page = client.get(f"/volunteers/service/teams/{first.pk}/")
    assert team_page.context["stats"].hours == Decimal("1.5")


def test_staff_take_a_wish_through_its_page_for_a_unit(tree, client, staff, department, elder):
    # given: a posted wish
    client.force_login(staff)
    wish = services.wish_post(
        actor=staff, community=tree["community"], resident=elder, title="棉被"
    )
    url = f"/volunteers/service/wishes/{wish.pk}/"
    # when: published, claimed for a unit, fulfilled with a photo, confirmed, thanked
    client.post(f"{url}publish/")
    client.post(f"{url}claim/", {"claimant": f"unit:{department.pk}"})
    refused = client.post(f"{url}claim/", {"claimant": f"unit:{department.pk}"}, follow=True)
    assert f"该心愿已被{department.name}认领。" in refused.content.decode()
    client.post(f"{url}fulfil/", {"photo": photo(), "note": "已送到"})
    client.post(f"{url}confirm/")
    client.post(f"{url}thank/", {"note": "谢谢！"})
    # then
    wish.refresh_from_db()
    assert (wish.state, wish.claimant_kind, wish.claimant_unit) == ("thanked", "unit", department)
    assert wish.photo and client.get(f"{url}photo/").status_code == 200
