"""Bad input and concurrency of activities, hours, stars, points and wishes: each refused
with a clear message, nothing half-written."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from common.errors import Conflict
from tests.cases.factories import photo
from volunteers import services
from volunteers.models import (
    AttendanceState,
    PointsEntry,
    Redemption,
    ShopItem,
    Volunteer,
    Wish,
    WishState,
    star_level,
)

from . import factories

pytestmark = pytest.mark.django_db


def test_attendance_outside_the_activity_time_is_refused(tree, staff):
    # given: an activity tomorrow and a volunteer signed up
    tomorrow = timezone.now() + timedelta(days=1)
    activity = factories.activity(tree["community"], starts_at=tomorrow)
    attendance = services.attendance_signup(
        actor=staff, activity=activity, volunteer=factories.volunteer(tree["community"])
    )
    # when they check in today
    with pytest.raises(ValidationError) as refused:
        services.attendance_check_in(actor=staff, attendance=attendance)
    # then
    assert "时间须在活动时间" in str(refused.value)
    attendance.refresh_from_db()
    assert attendance.state == AttendanceState.SIGNED_UP
    assert attendance.checked_in_at is None


def test_hours_over_the_activity_length_are_refused_and_nothing_counts(tree, staff):
    activity = factories.activity(tree["community"], hours=2)
    volunteer = factories.volunteer(tree["community"])
    attendance = services.attendance_signup(actor=staff, activity=activity, volunteer=volunteer)
    with pytest.raises(ValidationError) as refused:
        services.attendance_approve(actor=staff, attendance=attendance, hours=Decimal("2.5"))
    assert "不超过活动时长 2.0 小时" in str(refused.value)
    volunteer.refresh_from_db()
    assert volunteer.hours == 0
    assert volunteer.points == 0
    assert not PointsEntry.objects.exists()


def test_check_in_out_and_approval_add_hours_and_points_once(tree, staff):
    # given: a volunteer checked in and out of a two-hour activity
    activity = factories.activity(tree["community"], hours=2)
    volunteer = factories.volunteer(tree["community"])
    attendance = services.attendance_signup(actor=staff, activity=activity, volunteer=volunteer)
    services.attendance_check_in(actor=staff, attendance=attendance, at=activity.starts_at)
    services.attendance_check_out(
        actor=staff, attendance=attendance, at=activity.starts_at + timedelta(minutes=95)
    )
    # when the organiser approves (the default: the time between check-in and check-out)
    services.attendance_approve(actor=staff, attendance=attendance)
    # then: 1.5 hours, 15 points (10 per hour); a second approval is refused
    volunteer.refresh_from_db()
    assert volunteer.hours == Decimal("1.5")
    assert volunteer.points == 15
    with pytest.raises(Conflict, match="不能重复确认"):
        services.attendance_approve(actor=staff, attendance=attendance)
    with pytest.raises(Conflict, match="不能重复发放"):
        services.points_award_attendance(actor=staff, attendance=attendance)
    assert PointsEntry.objects.filter(volunteer=volunteer).count() == 1
    volunteer.refresh_from_db()
    assert volunteer.points == 15


def test_the_database_refuses_a_second_award_and_any_change_of_the_ledger(tree, staff):
    activity = factories.activity(tree["community"])
    volunteer = factories.volunteer(tree["community"])
    attendance = services.attendance_signup(actor=staff, activity=activity, volunteer=volunteer)
    services.attendance_approve(actor=staff, attendance=attendance, hours=Decimal(1))
    entry = PointsEntry.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        PointsEntry.objects.create(
            volunteer=volunteer, area_path=volunteer.area_path, reason="hours", delta=10,
            balance=20, attendance=attendance,
        )  # fmt: skip
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
        PointsEntry.objects.filter(pk=entry.pk).update(delta=1000)
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
        PointsEntry.objects.filter(pk=entry.pk).delete()


def test_a_redemption_over_the_balance_is_refused_and_nothing_is_written(tree, staff):
    # given: a volunteer with 10 points and an item of 30
    volunteer = factories.volunteer(tree["community"])
    attendance = services.attendance_signup(
        actor=staff, activity=factories.activity(tree["community"]), volunteer=volunteer
    )
    services.attendance_approve(actor=staff, attendance=attendance, hours=Decimal(1))
    item = services.shop_item_add(
        actor=staff, community=tree["community"], name="洗衣液", points=30, stock=5
    )
    # when
    with pytest.raises(ValidationError) as refused:
        services.points_redeem(actor=staff, volunteer=volunteer, item=item)
    # then
    assert "积分不足" in str(refused.value) and "当前余额 10 分" in str(refused.value)
    item.refresh_from_db()
    volunteer.refresh_from_db()
    assert (item.stock, volunteer.points) == (5, 10)
    assert not Redemption.objects.exists()
    assert PointsEntry.objects.count() == 1


def test_a_redemption_takes_stock_and_points_and_refuses_when_stock_is_out(tree, staff):
    volunteer = factories.volunteer(tree["community"])
    attendance = services.attendance_signup(
        actor=staff, activity=factories.activity(tree["community"], hours=3), volunteer=volunteer
    )
    services.attendance_approve(actor=staff, attendance=attendance, hours=Decimal(3))
    item = services.shop_item_add(
        actor=staff, community=tree["community"], name="大米", points=10, stock=1
    )
    services.points_redeem(actor=staff, volunteer=volunteer, item=item)
    with pytest.raises(Conflict, match="库存不足"):
        services.points_redeem(actor=staff, volunteer=volunteer, item=item)
    volunteer.refresh_from_db()
    assert volunteer.points == 20
    ledger = PointsEntry.objects.filter(volunteer=volunteer).order_by("id")
    assert list(ledger.values_list("balance", flat=True)) == [30, 20]
    assert ShopItem.objects.get().stock == 0


@pytest.mark.parametrize(
    ("hours", "stars"), [(99, 0), (100, 1), (300, 2), (599.5, 2), (600, 3), (1000, 4), (1500, 5)]
)
def test_star_levels_follow_the_national_rule(hours, stars):
    assert star_level(Decimal(str(hours))) == stars


def test_a_person_registers_once_and_sign_up_is_refused_twice(tree, staff, elder):
    services.volunteer_register(actor=staff, community=tree["community"], resident=elder)
    with pytest.raises(ValidationError, match="已是"):
        services.volunteer_register(actor=staff, community=tree["community"], resident=elder)
    volunteer = Volunteer.objects.get()
    activity = factories.activity(tree["community"], capacity=1)
    services.attendance_signup(actor=staff, activity=activity, volunteer=volunteer)
    with pytest.raises(ValidationError, match="已报名"):
        services.attendance_signup(actor=staff, activity=activity, volunteer=volunteer)
    with pytest.raises(Conflict, match="已满"):
        services.attendance_signup(
            actor=staff, activity=activity, volunteer=factories.volunteer(tree["community"])
        )


def _published_wish(tree: dict[str, Any], elder: Any, staff: Any) -> Wish:
    wish = services.wish_post(
        actor=staff, community=tree["community"], resident=elder, title="一台收音机"
    )
    return services.wish_review(actor=staff, wish=wish, approve=True)


def test_the_wish_loop_awards_the_claimant_once(tree, staff, elder):
    wish = _published_wish(tree, elder, staff)
    volunteer = factories.volunteer(tree["community"])
    services.wish_claim(actor=None, wish=wish, volunteer=volunteer, by_volunteer=True)
    with pytest.raises(ValidationError, match="照片"):
        services.wish_fulfil(actor=staff, wish=wish, photo=None)
    services.wish_fulfil(actor=staff, wish=wish, photo=photo())
    services.wish_confirm(actor=staff, wish=wish)
    services.wish_thank(actor=staff, wish=wish, note="谢谢志愿者！")
    wish.refresh_from_db()
    volunteer.refresh_from_db()
    assert wish.state == WishState.THANKED
    assert volunteer.points == 20
    with pytest.raises(Conflict):
        services.wish_confirm(actor=staff, wish=wish)


@pytest.mark.django_db(transaction=True)
def test_two_claims_of_one_wish_at_once_one_wins(tree, staff, elder):
    # given: a wish on the board and two volunteers pressing 认领 at the same moment
    wish = _published_wish(tree, elder, staff)
    first, second = factories.volunteer(tree["community"]), factories.volunteer(tree["community"])
    barrier = threading.Barrier(2)
    results: list[str] = []

    def claim(volunteer: Volunteer) -> None:
        barrier.wait()
        try:
            services.wish_claim(actor=None, wish=wish, volunteer=volunteer, by_volunteer=True)
            results.append("won")
        except Conflict as exc:
            results.append(str(exc.message))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(v,)) for v in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then: one claim, and the other is told who has it
    assert sorted(results, key=len)[0] == "won"
    refusal = next(r for r in results if r != "won")
    wish.refresh_from_db()
    assert wish.state == WishState.CLAIMED
    assert refusal == f"该心愿已被{wish.claimant_name}认领。"
