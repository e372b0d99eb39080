import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts.models import AuditLog
from accounts.roles import Role
from common.errors import Conflict
from supports.models import RoomBooking
from supports.selectors import centres as selectors
from supports.services import centres
from tests.grids.factories import grid

from .factories import centre, checklist_item, room, slot

pytestmark = pytest.mark.django_db


def test_a_community_centre_hangs_under_its_street_centre_whichever_comes_first(tree):
    # given a community centre made before its street's
    community_centre = centre(tree["community"])
    assert community_centre.parent is None
    # when the street centre is made
    street_centre = centre(tree["street"])
    # then it adopts the community centre, and later ones join it directly
    community_centre.refresh_from_db()
    assert community_centre.parent == street_centre
    assert street_centre.level == "street" and community_centre.level == "community"
    with pytest.raises(ValidationError, match="已有党群服务中心"):
        centre(tree["community"])


def test_centres_sit_on_streets_and_communities_only(tree):
    with pytest.raises(ValidationError, match="街道/镇或社区"):
        centre(tree["estate"])


def test_a_stale_edit_is_refused(tree, make_user):
    place = centre(tree["community"])
    staff = make_user(Role.COMMUNITY_STAFF)
    seen = place.updated_at
    centres.centre_update(actor=staff, centre=place, address="新地址", expected_updated_at=seen)
    with pytest.raises(Conflict):
        centres.centre_update(actor=staff, centre=place, address="旧地址", expected_updated_at=seen)


def test_community_staff_keep_their_own_centre_only(tree, make_user):
    theirs = centre(tree["other_community"])
    with pytest.raises(PermissionDenied):
        centres.centre_update(actor=make_user(Role.COMMUNITY_STAFF), centre=theirs, address="x")


def test_a_booked_slot_refuses_an_overlapping_booking_but_not_a_back_to_back_one(tree, make_user):
    hall = room(centre(tree["community"]))
    user = make_user(Role.GRID_WORKER)
    start, end = slot(hours=2)
    centres.room_book(actor=user, room=hall, title="党员大会", starts_at=start, ends_at=end)
    with pytest.raises(Conflict, match="党员大会"):
        centres.room_book(
            actor=user,
            room=hall,
            title="议事会",
            starts_at=start + timedelta(hours=1),
            ends_at=end + timedelta(hours=1),
        )
    centres.room_book(
        actor=user, room=hall, title="议事会", starts_at=end, ends_at=end + timedelta(hours=1)
    )
    assert RoomBooking.objects.filter(room=hall).count() == 2
    assert AuditLog.objects.filter(detail__event="room.book").count() == 2


def test_a_cancelled_booking_frees_its_slot(tree, make_user):
    hall = room(centre(tree["community"]))
    user = make_user(Role.COMMUNITY_STAFF)
    start, end = slot()
    first = centres.room_book(actor=user, room=hall, title="会议", starts_at=start, ends_at=end)
    centres.booking_cancel(actor=user, booking=first)
    centres.room_book(actor=user, room=hall, title="新会议", starts_at=start, ends_at=end)
    with pytest.raises(Conflict):
        centres.booking_cancel(actor=user, booking=first)


@pytest.mark.parametrize(
    ("shift", "hours", "attendees", "field"),
    [(-2, 2, 0, "starts_at"), (1, 13, 0, "ends_at"), (1, 0, 0, "ends_at"), (1, 2, 99, "attendees")],
)
def test_bad_bookings_are_refused_with_the_field_at_fault(tree, shift, hours, attendees, field):
    hall = room(centre(tree["community"]), capacity=20)
    start, end = slot(days=shift, hours=hours)
    with pytest.raises(ValidationError) as caught:
        centres.room_book(
            actor=None, room=hall, title="活动", starts_at=start, ends_at=end, attendees=attendees
        )
    assert field in caught.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_two_bookings_of_one_slot_at_once_give_one_booking_and_one_refusal(tree):
    hall = room(centre(tree["community"]))
    start, end = slot(days=3)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def book(title: str) -> None:
        try:
            barrier.wait()
            centres.room_book(actor=None, room=hall, title=title, starts_at=start, ends_at=end)
            outcomes.append("booked")
        except Conflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(f"活动{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "refused"]
    assert RoomBooking.objects.filter(room=hall, status="booked").count() == 1


def test_the_exclusion_constraint_refuses_an_overlap_the_service_did_not_see(tree):
    hall = room(centre(tree["community"]))
    start, end = slot()
    RoomBooking.objects.create(
        room=hall, area_path=hall.area_path, title="a", starts_at=start, ends_at=end
    )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RoomBooking.objects.create(
            room=hall, area_path=hall.area_path, title="b", starts_at=start, ends_at=end
        )


def test_a_service_must_be_one_the_place_offers(tree, make_user):
    place = centre(tree["community"], services=["volunteer"])
    user = make_user(Role.COMMUNITY_STAFF)
    fields = {
        "served_on": place.created_at.date(),
        "content": "助老",
        "served": "张大爷",
        "served_by": "刘芳",
    }
    with pytest.raises(ValidationError, match="未开设"):
        centres.service_record(actor=user, centre=place, kind="property", **fields)
    record = centres.service_record(actor=user, centre=place, kind="volunteer", **fields)
    assert record.area_path == place.area_path


def test_stations_record_services_too(tree, make_user):
    from grids import services as grid_services

    station = grid_services.station_create(
        actor=None,
        grid=grid(tree["community"]),
        name="红色驿站",
        address="1号",
        opening_hours="全天",
        services=["station"],
    )
    record = centres.service_record(
        actor=make_user(Role.GRID_WORKER),
        station=station,
        kind="station",
        served_on=station.grid.created_at.date(),
        content="休息饮水",
        served="快递员",
        served_by="赵磊",
        people=3,
    )
    counts = selectors.service_counts(
        actor=make_user(Role.STREET_STAFF), year=record.served_on.year
    )
    assert [(row.place, row.total, row.people) for row in counts] == [(station, 1, 3)]


def test_the_standardisation_score_counts_the_points_of_the_items_met(tree, make_user):
    place = centre(tree["community"])
    a, b = checklist_item(["community"], 30), checklist_item(["community", "street"], 70)
    checklist_item(["street"], 50)  # not for a community centre
    centres.checklist_check(
        actor=make_user(Role.STREET_STAFF),
        centre=place,
        results={a.pk: (True, ""), b.pk: (False, "缺少")},
    )
    checklist = selectors.checklist_of(place)
    assert (checklist.total, checklist.met, checklist.score) == (100, 30, 30)
    row = selectors.centre_list(actor=make_user(Role.STREET_STAFF)).get(pk=place.pk)
    selectors.decorate_score(row)
    assert row.score == 30  # type: ignore[attr-defined]  # annotated by the selector


def test_a_community_does_not_score_its_own_centre(tree, make_user):
    place = centre(tree["community"])
    item = checklist_item(["community"])
    with pytest.raises(PermissionDenied):
        centres.checklist_check(
            actor=make_user(Role.COMMUNITY_STAFF), centre=place, results={item.pk: (True, "")}
        )
