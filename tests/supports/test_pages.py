"""The supports pages: what each role sees, constant queries for every list, sibling 404s."""

from datetime import date
from itertools import count

import pytest
from django.utils import timezone

from accounts.roles import Role
from supports.models import ServiceCentre
from supports.services import careers, centres, studio
from tests.governance.factories import id_number
from tests.grids.factories import worker

from .factories import budget, centre, problem, room, round_, slot, spend

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def make_centres(tree, n):
    from governance.models import AreaLevel
    from tests.governance.factories import area

    for _ in range(n):
        centre(area(tree["street"], AreaLevel.COMMUNITY))


def _place(tree):
    return ServiceCentre.objects.filter(area=tree["community"]).first() or centre(tree["community"])


_days = count(1)


def make_bookings(tree, n):
    place = _place(tree)
    hall = place.rooms.first() or room(place)
    for i in range(n):
        start, end = slot(days=next(_days))
        centres.room_book(actor=None, room=hall, title=f"活动{i}", starts_at=start, ends_at=end)


def make_records(tree, n):
    place = _place(tree)
    for i in range(n):
        centres.service_record(
            actor=None,
            centre=place,
            kind="volunteer",
            served_on=TODAY(),
            content=f"服务{i}",
            served="居民",
            served_by="刘芳",
        )


def make_sessions(tree, n):
    item = problem(tree["community"])
    member = studio.member_add(
        actor=None,
        studio=item.studio,
        name=f"专家{n}",
        role="expert",
        organisation="党校",
        joined_on=date(2024, 1, 1),
    )
    for i in range(n):
        studio.session_record(
            actor=None,
            studio=item.studio,
            held_on=date(2025, 1, 1 + i),
            kind="clinic",
            topic="organisation",
            title=f"门诊{i}",
            attendees=[member],
        )


def make_problems(tree, n):
    for _ in range(n):
        problem(tree["community"])


def make_budgets(tree, n):
    from governance.models import AreaLevel
    from tests.governance.factories import area

    for _ in range(n):
        target = budget(area(tree["street"], AreaLevel.COMMUNITY))
        spend(target, "100")


def make_spendings(tree, n):
    target = budget(tree["community"])
    for _ in range(n):
        spend(target, "10")


def make_roster(tree, n):
    from governance.models import AreaLevel
    from tests.governance.factories import area

    for _ in range(n):
        community = area(tree["street"], AreaLevel.COMMUNITY)
        careers.quota_set(actor=None, community=community, post="staff", quota=2)
        worker(community)


def make_rounds(tree, n):
    for _ in range(n):
        round_()


def make_appraisals(tree, n):
    for _ in range(n):
        careers.appraisal_record(
            actor=None, worker=worker(tree["community"]), year=2024, result="competent"
        )


def make_promotions(tree, n):
    for _ in range(n):
        person = worker(tree["community"], grade=3, hired_on=date(2020, 1, 1))
        careers.appraisal_record(
            actor=None, worker=person, year=TODAY().year - 1, result="excellent"
        )
        careers.worker_promote(
            actor=None, worker=person, to_post="staff", to_grade=4, effective_on=TODAY()
        )


LISTS = [
    ("/supports/centres/", make_centres),
    ("/supports/bookings/", make_bookings),
    ("/supports/services/", make_records),
    ("/supports/services/counts/", make_records),
    ("/supports/studio/sessions/", make_sessions),
    ("/supports/studio/problems/", make_problems),
    ("/supports/funds/", make_budgets),
    ("/supports/funds/spending/", make_spendings),
    ("/supports/careers/", make_roster),
    ("/supports/careers/rounds/", make_rounds),
    ("/supports/careers/appraisals/", make_appraisals),
    ("/supports/careers/promotions/", make_promotions),
]


@pytest.mark.parametrize(("url", "make"), LISTS, ids=[url for url, _make in LISTS])
def test_list_pages_use_the_same_number_of_queries_for_2_and_20_rows(
    client, make_user, tree, count_queries, url, make
):
    client.force_login(make_user(Role.DISTRICT_ADMIN))
    make(tree, 2)
    few = count_queries(client, url)
    make(tree, 18)
    assert count_queries(client, url) == few


def test_the_applicant_list_of_a_round_uses_constant_queries(
    client, make_user, tree, count_queries
):
    client.force_login(make_user(Role.DISTRICT_ADMIN))
    careers.quota_set(actor=None, community=tree["community"], post="staff", quota=40)
    batch = round_()
    position = careers.position_add(
        actor=None, round=batch, community=tree["community"], post="staff", openings=30
    )

    def apply(n):
        for _ in range(n):
            careers.applicant_add(
                actor=None,
                position=position,
                name="甲",
                gender="M",
                id_number=id_number(),
                education="college",
            )

    apply(2)
    few = count_queries(client, f"/supports/careers/rounds/{batch.pk}/")
    apply(18)
    assert count_queries(client, f"/supports/careers/rounds/{batch.pk}/") == few


@pytest.mark.parametrize(("url", "make"), LISTS, ids=[url for url, _make in LISTS])
def test_list_pages_have_an_empty_state_and_export(client, make_user, tree, url, make):
    client.force_login(make_user(Role.DISTRICT_ADMIN))
    page = client.get(url)
    assert page.status_code == 200
    export = client.get(url + "?export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def _sibling_objects(tree):
    """One object of each kind in the other community (乙社区)."""
    theirs = tree["other_community"]
    place = centre(theirs)
    hall = room(place)
    start, end = slot()
    booking = centres.room_book(actor=None, room=hall, title="会议", starts_at=start, ends_at=end)
    from django.core.files.uploadedfile import SimpleUploadedFile

    target = budget(theirs)
    entry = spend(target, voucher=SimpleUploadedFile("v.pdf", b"%PDF-1.4 x"))
    careers.quota_set(actor=None, community=theirs, post="staff", quota=3)
    position = careers.position_add(
        actor=None, round=round_(), community=theirs, post="staff", openings=1
    )
    applicant = careers.applicant_add(
        actor=None,
        position=position,
        name="乙",
        gender="M",
        id_number=id_number(),
        education="college",
    )
    return {
        "centre": f"/supports/centres/{place.pk}/",
        "centre_edit": f"/supports/centres/{place.pk}/edit/",
        "problem": f"/supports/studio/problems/{problem(theirs).pk}/",
        "budget": f"/supports/funds/budgets/{target.pk}/",
        "voucher": f"/supports/funds/spending/{entry.pk}/voucher/",
        "applicant": f"/supports/careers/applicants/{applicant.pk}/",
        "career": f"/supports/careers/workers/{worker(theirs).pk}/",
        "cancel": (f"/supports/bookings/{booking.pk}/cancel/", "post"),
    }


def test_objects_of_a_sibling_community_are_404(client, make_user, tree):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    for name, target in _sibling_objects(tree).items():
        url, method = target if isinstance(target, tuple) else (target, "get")
        response = getattr(client, method)(url)
        assert response.status_code == 404, name


def test_funds_are_not_for_grid_workers_departments_property_staff_or_the_system_roles(
    client, make_user, tree
):
    target = budget(tree["community"])
    for role in (
        Role.GRID_WORKER,
        Role.DEPARTMENT_LIAISON,
        Role.PROPERTY_STAFF,
        Role.SECURITY_ADMIN,
        Role.AUDITOR,
    ):
        client.force_login(make_user(role))
        assert client.get("/supports/funds/").status_code == 403, role
        assert client.get(f"/supports/funds/budgets/{target.pk}/").status_code == 403, role


def test_a_community_sees_its_funds_and_the_street_sees_its_communities(client, make_user, tree):
    budget(tree["community"], amount="200000")
    budget(tree["other_community"])
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    page = client.get("/supports/funds/").content.decode()
    assert "甲社区" in page and "乙社区" not in page
    assert "低于区定标准" in page
    client.force_login(make_user(Role.DISTRICT_LEADER))
    page = client.get("/supports/funds/").content.decode()
    assert "甲社区" in page and "乙社区" in page


def test_a_voucher_is_served_to_its_community_as_an_attachment(client, make_user, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    entry = spend(
        budget(tree["community"]), voucher=SimpleUploadedFile("v.png", b"\x89PNG\r\n\x1a\nxx")
    )
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    response = client.get(f"/supports/funds/spending/{entry.pk}/voucher/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"\x89PNG\r\n\x1a\nxx"


def test_spending_over_budget_on_the_page_is_refused_with_the_balance(client, make_user, tree):
    target = budget(tree["community"], amount="1000")
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    response = client.post(
        f"/supports/funds/budgets/{target.pk}/spend/",
        {
            "spent_on": min(TODAY(), date(target.year, 1, 2)).isoformat(),
            "purpose": "care",
            "description": "慰问",
            "amount": "1000.50",
            "approver": "李主任",
        },
        follow=True,
    )
    assert "超出预算" in response.content.decode()
    assert target.spendings.count() == 0


def test_a_double_booking_on_the_page_is_refused(client, make_user, tree):
    hall = room(centre(tree["community"]))
    start, end = slot()
    centres.room_book(actor=None, room=hall, title="党员大会", starts_at=start, ends_at=end)
    client.force_login(make_user(Role.GRID_WORKER))
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post(
        "/supports/bookings/new/",
        {
            "room": hall.pk,
            "title": "议事",
            "starts_at": start.strftime(fmt),
            "ends_at": end.strftime(fmt),
        },
    )
    assert response.status_code == 200
    assert "该时段已被预约" in response.content.decode()


def test_a_problem_moves_through_its_page(client, make_user, tree):
    item = problem(tree["community"])
    client.force_login(make_user(Role.STREET_STAFF))
    page = client.get(f"/supports/studio/problems/{item.pk}/").content.decode()
    assert "受理会诊" in page and "化解销号" not in page
    client.post(f"/supports/studio/problems/{item.pk}/transition/", {"action": "accept"})
    client.post(
        f"/supports/studio/problems/{item.pk}/transition/",
        {"action": "advise", "advice": "分类施策"},
    )
    response = client.post(
        f"/supports/studio/problems/{item.pk}/transition/",
        {"action": "solve", "note": "已化解"},
        follow=True,
    )
    assert "已化解" in response.content.decode()
    item.refresh_from_db()
    assert item.state == "solved"
    again = client.post(
        f"/supports/studio/problems/{item.pk}/transition/", {"action": "accept"}, follow=True
    )
    assert again.status_code == 200


def test_a_community_cannot_take_a_studio_keepers_action_on_the_page(client, make_user, tree):
    item = problem(tree["community"])
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    response = client.post(f"/supports/studio/problems/{item.pk}/transition/", {"action": "accept"})
    assert response.status_code == 403


def test_the_centre_page_shows_stations_rooms_and_score(client, make_user, tree):
    place = centre(tree["community"], services=["volunteer"])
    room(place, name="多功能活动室")
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    page = client.get(f"/supports/centres/{place.pk}/").content.decode()
    assert "多功能活动室" in page and "辖区内暂无网格服务站" in page


def test_the_overview_shows_each_support_to_those_who_may_see_it(client, make_user, tree):
    budget(tree["community"])
    client.force_login(make_user(Role.GRID_WORKER))
    page = client.get("/supports/").content.decode()
    assert 'data-testid="position"' in page and 'data-testid="funds"' not in page
    client.force_login(make_user(Role.STREET_STAFF))
    page = client.get("/supports/").content.decode()
    assert 'data-testid="funds"' in page and 'data-testid="roster"' in page


def test_a_worker_is_promoted_from_the_career_page(client, make_user, tree):
    person = worker(tree["community"], grade=4, hired_on=date(2020, 1, 1))
    client.force_login(make_user(Role.STREET_STAFF))
    client.post(
        f"/supports/careers/workers/{person.pk}/appraise/",
        {"year": TODAY().year - 1, "result": "excellent"},
    )
    response = client.post(
        f"/supports/careers/workers/{person.pk}/promote/",
        {"to_post": "staff", "to_grade": 5, "effective_on": TODAY().isoformat()},
        follow=True,
    )
    assert "晋升已记录" in response.content.decode()
    person.refresh_from_db()
    assert person.grade == 5
