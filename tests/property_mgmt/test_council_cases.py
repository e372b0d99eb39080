"""A council meeting's agenda items become cases, and its resolutions are followed to done on the
working-day calendar, through the meeting and resolution pages as a community worker uses them
(issue 16 §3)."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, WorkCalendarDay
from governance.units import unit_token
from property_mgmt import services
from property_mgmt.models import AgendaItem, CouncilMeeting, Resolution
from tests.cases.factories import report
from tests.governance.factories import org

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user: Any) -> Any:
    return make_user("community_staff")


@pytest.fixture
def worker(staff: Any) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def meeting_of(community: Any, days_ago: int = 2, title: str = "甲小区联席会议") -> CouncilMeeting:
    return services.meeting_create(
        actor=None,
        community=community,
        kind="joint",
        title=title,
        held_at=timezone.now() - timedelta(days=days_ago),
        convened_by=org(community),
        attendees=[services.AttendeeFields("residents", "居民代表")],
    )


def page_of(meeting: CouncilMeeting) -> str:
    return reverse("property_mgmt:meeting_detail", args=[meeting.pk])


def add_agenda(client: Client, meeting: CouncilMeeting, **fields: Any) -> Any:
    data = {"agenda-title": fields.pop("title", "小区消防通道被占用"), "agenda-description": ""}
    data.update({f"agenda-{key}": value for key, value in fields.items()})
    return client.post(page_of(meeting), data, follow=True)


# --- Agenda items and cases --------------------------------------------------------------------


def test_an_agenda_item_opens_a_case_in_the_estate(
    tree: dict[str, Any], worker: Client, cats: Any
) -> None:
    # given a meeting of 甲社区
    meeting = meeting_of(tree["community"])
    # when an agenda item is added that opens a case in 甲小区 under a category
    page = add_agenda(
        worker,
        meeting,
        title="小区消防通道被占用",
        description="东门消防通道长期停放车辆",
        open_case_in=tree["estate"].pk,
        category=cats["WY03"].pk,
        outcome="物业三日内清理，社区督办",
    )
    # then a case is reported in the estate under that category, and the item links it
    case = Case.objects.get(title="小区消防通道被占用")
    assert (case.area_id, case.category_id) == (tree["estate"].pk, cats["WY03"].pk)
    assert case.description == "东门消防通道长期停放车辆"
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.case == case and item.opened_case
    html = page.content.decode()
    assert "议题已添加。" in html
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in html
    assert f"{case.number}</a>（由本议题立案）" in html
    assert "物业三日内清理，社区督办" in html
    # and the worker finds the case like any other
    assert worker.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_opening_a_case_needs_a_category_and_an_estate_of_the_meetings_community(
    tree: dict[str, Any], worker: Client, cats: Any
) -> None:
    meeting = meeting_of(tree["community"])
    no_category = add_agenda(worker, meeting, open_case_in=tree["estate"].pk)
    assert "新立事件须选择事件类别。" in no_category.content.decode()
    elsewhere = add_agenda(
        worker, meeting, open_case_in=tree["other_estate"].pk, category=cats["WY03"].pk
    )
    assert elsewhere.status_code == 200 and "agenda-open_case_in" in elsewhere.content.decode()
    assert not Case.objects.exists()
    assert not AgendaItem.objects.exists()


def test_an_agenda_item_links_an_existing_case_by_its_number(
    tree: dict[str, Any], worker: Client, staff: Any, cats: Any
) -> None:
    # given a case already reported in 甲小区
    case = report(staff, tree["estate"], cats["WY01"], title="电梯多次困人")
    meeting = meeting_of(tree["community"])
    # when the agenda item names its number (as typed: spaces, lower case)
    page = add_agenda(worker, meeting, title="电梯安全", case_number=f"  {case.number.lower()} ")
    # then the item links that case and no new case is opened
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.case == case and not item.opened_case
    assert Case.objects.count() == 1
    html = page.content.decode()
    assert f"{case.number}</a>" in html and "由本议题立案" not in html


def test_a_case_number_unknown_or_of_another_community_is_not_linked(
    tree: dict[str, Any], worker: Client, make_user: Any, cats: Any
) -> None:
    # given a case of 乙社区, which 甲社区's worker does not see
    foreign = report(
        make_user("community_staff", "other_community"), tree["other_estate"], cats["WY01"]
    )
    meeting = meeting_of(tree["community"])
    # when its number, or one that does not exist, is named: the same answer for both
    for number in (foreign.number, "SJ0000000000"):
        page = add_agenda(worker, meeting, case_number=number)
        assert "未找到该事件。" in page.content.decode()
    assert not AgendaItem.objects.exists()


def test_an_item_cannot_both_link_and_open_a_case(
    tree: dict[str, Any], worker: Client, staff: Any, cats: Any
) -> None:
    case = report(staff, tree["estate"], cats["WY01"])
    meeting = meeting_of(tree["community"])
    page = add_agenda(
        worker,
        meeting,
        case_number=case.number,
        open_case_in=tree["estate"].pk,
        category=cats["WY03"].pk,
    )
    assert "议题只能关联已有事件或新立事件，不能同时。" in page.content.decode()
    assert Case.objects.count() == 1 and not AgendaItem.objects.exists()


def test_only_keepers_of_the_community_add_agenda_items(
    tree: dict[str, Any], make_user: Any, cats: Any
) -> None:
    meeting = meeting_of(tree["community"])
    other = Client()
    other.force_login(make_user("community_staff", "other_community"))
    answer = other.post(
        page_of(meeting),
        {"agenda-title": "越权议题", "agenda-open_case_in": tree["estate"].pk},
    )
    assert answer.status_code == 404
    assert not AgendaItem.objects.exists() and not Case.objects.exists()


# --- Overdue resolutions on the working-day calendar -------------------------------------------


def _calendar(days: dict[date, bool]) -> None:
    for day, working in days.items():
        WorkCalendarDay.objects.update_or_create(
            date=day,
            defaults={"is_working_day": working, "name": "测试" if working else "测试假日"},
        )


def _resolve(client: Client, meeting: CouncilMeeting, text: str, due_on: date) -> Resolution:
    client.post(
        page_of(meeting),
        {
            "resolution-text": text,
            "resolution-unit": unit_token("area", meeting.community_id),
            "resolution-due_on": due_on.isoformat(),
        },
    )
    return Resolution.objects.get(meeting=meeting, text=text)


def _row(html: str, text: str) -> str:
    found = re.search(r"<tr[^>]*>(?:(?!</tr>).)*" + re.escape(text) + r".*?</tr>", html, re.S)
    assert found, text
    return found.group(0)


def test_an_overdue_resolution_is_flagged_and_filtered_on_the_working_day_calendar(
    tree: dict[str, Any], worker: Client, make_user: Any
) -> None:
    # given the calendar: three days ago a working day, yesterday to tomorrow a holiday
    today = timezone.localdate()
    _calendar(
        {
            today - timedelta(days=3): True,
            today - timedelta(days=1): False,
            today: False,
            today + timedelta(days=1): False,
            today + timedelta(days=2): True,
        }
    )
    meeting = meeting_of(tree["community"], days_ago=20)
    # and three resolutions of the meeting, each due on a past day
    overdue = _resolve(worker, meeting, "清理楼道堆物", today - timedelta(days=3))
    holiday = _resolve(worker, meeting, "公示维修基金收支", today - timedelta(days=1))
    done_late = _resolve(worker, meeting, "修复东门路灯", today - timedelta(days=3))
    worker.post(
        reverse("property_mgmt:resolution_detail", args=[done_late.pk]),
        {"action": "complete", "note": "路灯已修复"},
    )
    # then the one due on a holiday runs to the end of the next working day and is not overdue
    assert holiday.due_on == today + timedelta(days=2)
    assert overdue.due_on == today - timedelta(days=3)
    # the meeting page flags the open one past its deadline, and only that one
    html = worker.get(page_of(meeting)).content.decode()
    assert "已超期" in _row(html, "清理楼道堆物")
    assert "已超期" not in _row(html, "公示维修基金收支")
    assert "已超期" not in _row(html, "修复东门路灯")
    # the resolution ledger's ?alert=overdue lists it alone; the late one shows as done late
    ledger = reverse("property_mgmt:resolution_list")
    listed = worker.get(ledger, {"alert": "overdue"}).content.decode()
    assert "清理楼道堆物" in listed
    assert "公示维修基金收支" not in listed and "修复东门路灯" not in listed
    everything = worker.get(ledger).content.decode()
    assert "已超期" in _row(everything, "清理楼道堆物")
    assert "逾期落实" in _row(everything, "修复东门路灯")
    assert "已超期" not in _row(everything, "公示维修基金收支")
    # another community's worker sees none of them
    other = Client()
    other.force_login(make_user("community_staff", "other_community"))
    assert "清理楼道堆物" not in other.get(ledger, {"alert": "overdue"}).content.decode()
