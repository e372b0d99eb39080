"""The case pages: report form, list, queue, case page and its action forms, notifications."""

from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from cases import services
from cases.models import Case, CaseState, Notification

from .factories import photo

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_grid_worker_reports_from_the_form_with_photos(people, tree, cat):
    client = client_for(people["grid"])
    page = client.get("/cases/new/")
    assert page.status_code == 200
    assert "上报事件" in page.content.decode()
    response = client.post(
        "/cases/new/",
        {
            "category": cat.pk,
            "area": tree["estate"].pk,
            "title": "楼道堆物",
            "description": "三单元楼道堆放杂物",
            "source": "grid",
            "contact_phone": "13812345678",
            "photos": [photo("a.jpg"), photo("b.jpg")],
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "楼道堆物" in detail and case.number in detail
    assert detail.count('data-testid="thumbnail"') == 2
    assert "138****5678" in detail and "13812345678" not in detail


def test_the_report_form_refuses_an_area_outside_the_scope_and_changes_nothing(people, tree, cat):
    client = client_for(people["grid"])
    response = client.post(
        "/cases/new/",
        {"category": cat.pk, "area": tree["other_estate"].pk, "title": "x", "description": "y",
         "source": "grid"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Case.objects.exists()


def test_the_case_page_shows_the_actions_the_policy_allows(new_case, people):
    case = new_case()
    staff_page = client_for(people["community"]).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-action="accept"' in staff_page and 'data-action="reject"' in staff_page
    assert 'data-action="supervise"' not in staff_page
    grid_page = client_for(people["grid"]).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-action="accept"' not in grid_page
    street_page = client_for(people["street"]).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-action="supervise"' in street_page


def test_a_transition_from_the_page_and_a_refused_one(new_case, people):
    case = new_case()
    client = client_for(people["community"])
    response = client.post(f"/cases/{case.pk}/transition/", {"action": "accept"}, follow=True)
    assert "已完成“受理”" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.ACCEPTED
    # pressing it again: a clear message, nothing changes
    response = client.post(f"/cases/{case.pk}/transition/", {"action": "accept"}, follow=True)
    assert "不能“受理”" in response.content.decode()
    # a reason is required to reject
    response = client.post(f"/cases/{case.pk}/transition/", {"action": "escalate", "note": ""})
    assert response.status_code == 400
    assert "请说明呼叫上级的原因" in response.content.decode()


def test_every_page_is_404_for_a_sibling_community(new_case, people):
    case = new_case()
    client = client_for(people["other_community"])
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.post(f"/cases/{case.pk}/transition/", {"action": "accept"}).status_code == 404
    assert case.number not in client.get("/cases/").content.decode()
    assert case.number not in client.get("/cases/queue/").content.decode()
    assert case.number not in client.get("/cases/?export=xlsx").content.decode(errors="ignore")
    # the department sees a case only once it is dispatched to it
    assert client_for(people["dept"]).get(f"/cases/{case.pk}/").status_code == 404
    # 三员分立: the auditor reads no cases
    assert client_for(people["auditor"]).get("/cases/").status_code == 403


def test_the_department_sees_what_was_dispatched_to_it(dispatched, people):
    client = client_for(people["dept"])
    assert client.get(f"/cases/{dispatched.pk}/").status_code == 200
    queue = client.get("/cases/queue/").content.decode()
    assert dispatched.number in queue
    assert 'data-action="resolve"' in client.get(f"/cases/{dispatched.pk}/").content.decode()


def test_the_list_filters_and_exports(new_case, people, tree):
    mine = new_case(title="路灯不亮")
    other = new_case(title="楼道堆物")
    client = client_for(people["street"])
    page = client.get("/cases/", {"q": "路灯"}).content.decode()
    assert mine.number in page and other.number not in page
    page = client.get("/cases/", {"state": "closed"}).content.decode()
    assert "没有符合条件的事件" in page
    page = client.get("/cases/", {"area": tree["community"].pk, "state": "open"}).content.decode()
    assert mine.number in page
    export = client.get("/cases/", {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_queue_of_each_role(dispatched, new_case, people):
    waiting_for_desk = new_case()
    community = client_for(people["community"]).get("/cases/queue/").content.decode()
    assert waiting_for_desk.number in community
    assert dispatched.number in community  # the community cooperates and has not replied
    services.case_reply(actor=people["community"], case=dispatched, note="已协助")
    community = client_for(people["community"]).get("/cases/queue/").content.decode()
    assert dispatched.number not in community
    services.case_resolve(actor=people["dept"], case=dispatched, note="已清运")
    grid = client_for(people["grid"]).get("/cases/queue/").content.decode()
    assert dispatched.number in grid and waiting_for_desk.number not in grid
    services.case_supervise(actor=people["street"], case=waiting_for_desk, level="red", note="快")
    supervised = client_for(people["community"]).get("/cases/queue/?tab=supervised")
    assert waiting_for_desk.number in supervised.content.decode()


def test_the_bell_counts_unread_notifications_and_opening_one_reads_it(new_case, people):
    case = new_case()
    client = client_for(people["community"])
    page = client.get("/cases/").content.decode()
    assert 'data-testid="bell-count">1<' in page
    notification = Notification.objects.get(recipient=people["community"])
    response = client.post(f"/cases/notifications/{notification.pk}/")
    assert response["Location"] == f"/cases/{case.pk}/"
    assert 'data-testid="bell-count"' not in client.get("/cases/").content.decode()
    # someone else's notification is 404
    other = client_for(people["street"])
    assert other.post(f"/cases/notifications/{notification.pk}/").status_code == 404


@pytest.mark.parametrize("url", ["/cases/", "/cases/queue/", "/cases/?export=xlsx"])
def test_lists_make_the_same_number_of_queries_for_2_and_20_cases(
    new_case: Callable[..., Case], people: Any, url: str, count_queries: Callable[..., int]
) -> None:
    client = client_for(people["community"])
    for _ in range(2):
        new_case()
    client.get(url)  # the filter bar is kept from the first page on (common.fragments)
    few = count_queries(client, url)
    for _ in range(18):
        new_case()
    assert count_queries(client, url) == few


def test_the_case_page_makes_the_same_number_of_queries_for_short_and_long_timelines(
    dispatched, people, count_queries
):
    client = client_for(people["community"])
    short = count_queries(client, f"/cases/{dispatched.pk}/")
    for n in range(10):
        services.case_reply(actor=people["dept"], case=dispatched, note=f"进展 {n}")
    assert count_queries(client, f"/cases/{dispatched.pk}/") == short


class _Fields(HTMLParser):
    """The element ids, the labels' targets and the form fields of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(str(attributes["id"]))
        if tag == "label" and attributes.get("for"):
            self.label_for.add(str(attributes["for"]))
        hidden = attributes.get("type") in ("hidden", "submit", "button")
        if tag in ("input", "textarea", "select") and not hidden:
            self.fields.append(attributes)


@pytest.mark.parametrize(
    ("who", "state"),
    [("community", "reported"), ("admin", "reported"), ("community", "dispatched"),
     ("dept", "dispatched"), ("street", "dispatched")],
)  # fmt: skip
def test_every_action_form_field_of_the_case_page_has_its_own_id_and_label(
    new_case, dispatched, people, who, state
):
    # given: a case page showing several action forms at once
    case = new_case() if state == "reported" else dispatched
    page = client_for(people[who]).get(f"/cases/{case.pk}/").content.decode()
    parsed = _Fields()
    parsed.feed(page)
    forms = page.count('class="action__form"')
    assert forms >= 2
    # then: no id is used twice, and each field's label points at that very field
    assert len(parsed.ids) == len(set(parsed.ids)), sorted(parsed.ids)
    assert parsed.fields
    for field in parsed.fields:
        assert field.get("id") in parsed.label_for or field.get("aria-label"), field
    assert page.count('name="note"') == forms
