"""A year whose holidays are not entered is never guessed silently: the district admin is told
from 1 November to enter next year's calendar, and a case whose deadline falls in such a year
says so on its page."""

from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.calendar import missing_year, year_to_enter
from cases.models import Case, WorkCalendarDay

from .factories import report

pytestmark = pytest.mark.django_db

WARNING = 'data-testid="calendar-warning"'


def test_next_years_calendar_is_asked_for_from_the_first_of_november():
    # given the migrations' calendars (2025 and 2026), and none for 2027
    assert year_to_enter(date(2026, 10, 31)) is None
    assert year_to_enter(date(2026, 11, 1)) == 2027
    # once a day of 2027 is entered, nothing is asked for
    WorkCalendarDay.objects.create(date=date(2027, 1, 1), is_working_day=False, name="元旦")
    assert year_to_enter(date(2026, 12, 31)) is None
    # a year without its own calendar is asked for at any time of that year
    assert year_to_enter(date(2028, 3, 1)) == 2028


def test_the_district_admin_sees_the_warning_on_the_home_page_and_others_do_not(people):
    this_year = timezone.localdate().year
    WorkCalendarDay.objects.filter(date__year=this_year).delete()
    admin, community = Client(), Client()
    admin.force_login(people["admin"])
    community.force_login(people["community"])
    page = admin.get("/").content.decode()
    assert WARNING in page and f"请录入 {this_year} 年工作日历" in page
    assert WARNING not in community.get("/").content.decode()
    # entered again: the warning is gone (unless next year is due and missing)
    WorkCalendarDay.objects.create(date=date(this_year, 1, 1), is_working_day=False, name="元旦")
    if year_to_enter() is None:
        assert WARNING not in admin.get("/").content.decode()


def test_a_deadline_in_a_year_without_a_calendar_says_so_on_the_case_page(people, tree, cat):
    case = report(people["grid"], tree["estate"], cat)
    client = Client()
    client.force_login(people["community"])
    assert 'data-testid="calendar-missing"' not in client.get(f"/cases/{case.pk}/").content.decode()
    due = timezone.make_aware(datetime(2031, 1, 6, 17, 0))
    Case.objects.filter(pk=case.pk).update(due_at=due)
    assert missing_year(due) == 2031 and missing_year(due - timedelta(days=365 * 5)) is None
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="calendar-missing"' in page and "2031 年的法定节假日和调休尚未录入" in page
