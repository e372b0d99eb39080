"""Working-day arithmetic over the 2025 calendar, and the overdue sweep."""

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cases import services
from cases.calendar import WorkCalendar, deadlines
from cases.models import Case, CaseEvent, Notification, NotificationKind, Supervision

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(8 * 60)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def local(moment: datetime) -> str:
    return moment.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


def test_the_2025_and_2026_calendars_are_loaded():
    calendar = WorkCalendar.load(at("2025-01-01").date(), days=800)
    assert not calendar.is_working_day(at("2025-01-28").date())  # 春节, a Tuesday
    assert calendar.is_working_day(at("2025-01-26").date())  # 调休, a Sunday
    assert calendar.is_working_day(at("2026-01-04").date())  # 元旦调休, a Sunday
    assert not calendar.is_working_day(at("2026-10-07").date())  # 国庆
    assert calendar.is_working_day(at("2026-10-09").date())  # an ordinary Friday
    assert not calendar.is_working_day(at("2026-10-11").date())  # an ordinary Sunday


def test_a_deadline_counts_the_make_up_sunday_and_skips_the_spring_festival():
    # given: Friday 24 January 2025, 09:00; Sunday the 26th is a make-up working day,
    # 28 January – 4 February is the Spring Festival holiday
    start = at("2025-01-24T09:00")
    # when
    warn, due = deadlines(start, Decimal(3))
    # then: Fri (15 h) + Sun 26 + Mon 27 = 63 h; the last 9 h fall on Wed 5 February
    assert local(due) == "2025-02-05 09:00"
    # 70 % of 3 days = 50.4 h: Fri 15 h + Sun 24 h + 11.4 h of Monday
    assert local(warn) == "2025-01-27 11:24"


def test_a_deadline_started_on_a_holiday_counts_from_the_next_working_day():
    _warn, due = deadlines(at("2025-10-03T15:00"), Decimal(1))
    # 1–8 October are off, Saturday 11 October is a make-up day: 9 October counts first
    assert local(due) == "2025-10-10 00:00"
    _warn, due = deadlines(at("2025-10-10T12:00"), Decimal(1))
    assert local(due) == "2025-10-11 12:00"  # the make-up Saturday counts


def test_days_are_local_days_whatever_zone_the_start_carries():
    # given: Wednesday 8 October 2025, 23:00 in Beijing, the last evening of the National Day
    # holiday, handed over as UTC (15:00Z, still 8 October), as the services do with
    # timezone.now()
    start = at("2025-10-08T23:00").astimezone(UTC)
    # when
    _warn, due = deadlines(start, Decimal(1))
    # then: the working day starts at local midnight, not at 08:00 (midnight UTC)
    assert local(due) == "2025-10-10 00:00"


def _age(case: Case, *, warn: bool = False, due: bool = False) -> None:
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        warn_at=now - timedelta(minutes=5) if warn or due else now + timedelta(days=1),
        due_at=now - timedelta(minutes=1) if due else now + timedelta(days=2),
    )


def test_the_sweep_marks_yellow_then_red_and_notifies_once(dispatched, people):
    # given: past 70 % of the limit
    _age(dispatched, warn=True)
    # when the sweep runs twice
    assert services.sweep_overdue() == {"red": 0, "yellow": 1}
    assert services.sweep_overdue() == {"red": 0, "yellow": 0}
    # then: yellow, and the lead (department) and the level above (street) told once
    case = Case.objects.get(pk=dispatched.pk)
    assert case.alert == "yellow"
    warnings = Notification.objects.filter(case=case, kind=NotificationKind.WARNING)
    assert set(warnings.values_list("recipient", flat=True)) == {
        people["dept"].pk,
        people["street"].pk,
    }
    # when the deadline passes
    _age(dispatched, due=True)
    call_command("sweep_overdue", stdout=open("/dev/null", "w"))  # noqa: SIM115
    services.sweep_overdue()
    # then: red, supervised automatically, notified once
    case = Case.objects.get(pk=dispatched.pk)
    assert case.alert == "red" and case.supervision == "ordinary"
    assert Notification.objects.filter(case=case, kind=NotificationKind.OVERDUE).count() == 2
    assert Supervision.objects.filter(case=case).count() == 1
    assert CaseEvent.objects.filter(case=case, action__in=["warn", "overdue"]).count() == 2


def test_an_approved_extension_clears_the_red_mark(dispatched, people):
    _age(dispatched, due=True)
    services.sweep_overdue()
    services.case_request_extension(actor=people["dept"], case=dispatched, days=30, note="施工")
    services.case_approve_extension(actor=people["community"], case=dispatched)
    case = Case.objects.get(pk=dispatched.pk)
    assert case.alert == ""
    assert case.due_at is not None and case.due_at > timezone.now()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_notify_once(dispatched, people):
    # given: overdue
    _age(dispatched, due=True)
    results: list[Any] = []
    barrier = threading.Barrier(2)

    def sweep() -> None:
        barrier.wait()
        try:
            results.append(services.sweep_overdue())
        finally:
            connection.close()

    # when two workers sweep at the same moment
    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then: one of them marked the case, and each person is told once
    assert sorted(r["red"] for r in results) == [0, 1]
    assert Notification.objects.filter(case=dispatched, kind=NotificationKind.OVERDUE).count() == 2
