"""The notification table (cases.notify): one test per row — after each action, exactly the
people the table names are told, with the row's event code, and nobody is told of their own
act. Texts are rendered from the code in the reader's language."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from cases import services
from cases.models import Case, Notification, NotificationKind, Satisfaction
from cases.notify import NOTICES, notice_text
from cases.workflow import EVENTS, TRANSITIONS, Action

pytestmark = pytest.mark.django_db

K = NotificationKind


def told(people: dict[str, Any], case: Case, kind: str) -> set[str]:
    """Who (by their key in ``people``) holds a notification of ``kind`` on ``case``."""
    names = {user.pk: name for name, user in people.items()}
    recipients = Notification.objects.filter(case=case, kind=kind).values_list(
        "recipient_id", flat=True
    )
    return {names.get(pk, f"user {pk}") for pk in recipients}


def people_key(people: dict[str, Any], pk: int) -> str:
    return next((name for name, user in people.items() if user.pk == pk), f"user {pk}")


@pytest.fixture
def accepted(new_case: Callable[..., Case], people: dict[str, Any]) -> Case:
    return services.case_accept(actor=people["community"], case=new_case())


@pytest.fixture
def asked(dispatched: Case, people: dict[str, Any]) -> Case:
    """A dispatched case whose lead unit asked for two more working days."""
    return services.case_request_extension(
        actor=people["dept"], case=dispatched, days=2, note="需采购配件"
    )


@pytest.fixture
def resolved(dispatched: Case, people: dict[str, Any]) -> Case:
    return services.case_resolve(actor=people["dept"], case=dispatched, note="已清运")


@pytest.fixture
def verified(resolved: Case, people: dict[str, Any]) -> Case:
    return services.case_verify(actor=people["grid"], case=resolved)


def test_every_action_has_a_row_in_the_notification_table():
    assert set(NOTICES) == set(TRANSITIONS) | set(EVENTS)


def test_report_tells_the_desk_but_not_the_reporter(new_case, people):
    case = new_case()
    assert told(people, case, K.ASSIGNED) == {"community"}


def test_accept_tells_the_reporter(accepted, people):
    assert told(people, accepted, K.ACCEPTED) == {"grid"}


def test_reject_tells_the_reporter(new_case, people):
    case = services.case_reject(actor=people["community"], case=new_case(), note="非本辖区事项")
    assert told(people, case, K.REJECTED) == {"grid"}


def test_handling_on_the_spot_tells_the_reporter_who_verifies(accepted, people):
    case = services.case_handle(actor=people["community"], case=accepted, note="当场清理")
    assert told(people, case, K.RESOLVED) == {"grid"}


def test_escalate_tells_the_new_desk(accepted, people):
    case = services.case_escalate(actor=people["community"], case=accepted, note="需街道协调")
    assert told(people, case, K.ESCALATED) == {"street"}


def test_dispatch_tells_the_units(dispatched, people):
    # the department leads; the community, which dispatched, cooperates and is not told again
    # (the report's ASSIGNED went to the community desk before: only the dispatch's count here)
    dispatch_rows = Notification.objects.filter(case=dispatched, key__startswith="dispatch:")
    assert {people_key(people, n.recipient_id) for n in dispatch_rows} == {"dept"}


def test_a_cooperating_reply_tells_the_lead_unit(dispatched, people):
    case = services.case_reply(actor=people["community"], case=dispatched, note="已配合清理")
    assert told(people, case, K.REPLIED) == {"dept"}


def test_send_back_tells_the_desk(dispatched, people):
    case = services.case_send_back(actor=people["dept"], case=dispatched, note="不属本部门")
    assert told(people, case, K.SENT_BACK) == {"community"}


def test_an_extension_request_tells_the_desk(asked, people):
    assert told(people, asked, K.EXTENSION) == {"community"}


def test_an_approved_extension_tells_the_requester(asked, people):
    case = services.case_approve_extension(actor=people["community"], case=asked)
    assert told(people, case, K.EXT_APPROVED) == {"dept"}


def test_a_refused_extension_tells_the_requester(asked, people):
    case = services.case_refuse_extension(actor=people["community"], case=asked, note="时限充足")
    assert told(people, case, K.EXT_REFUSED) == {"dept"}


def test_resolve_tells_the_reporter_who_verifies_and_the_community(resolved, people):
    assert told(people, resolved, K.RESOLVED) == {"grid", "community"}


def test_verify_tells_the_community_to_collect_the_rating(verified, people):
    assert told(people, verified, K.VERIFIED) == {"community"}


def test_a_satisfied_rating_closes_and_tells_the_reporter(verified, people):
    case = services.case_rate(
        actor=people["community"], case=verified, satisfaction=Satisfaction.SATISFIED
    )
    assert told(people, case, K.CLOSED) == {"grid"}
    assert told(people, case, K.REOPENED) == set()


def test_an_unsatisfied_rating_reopens_at_the_desk(verified, people):
    case = services.case_rate(
        actor=people["grid"], case=verified, satisfaction=Satisfaction.UNSATISFIED, note="仍有异味"
    )
    assert told(people, case, K.REOPENED) == {"community"}
    assert told(people, case, K.CLOSED) == set()


def test_reopen_tells_the_desk(resolved, people):
    case = services.case_reopen(actor=people["grid"], case=resolved, note="现场仍有垃圾")
    assert told(people, case, K.REOPENED) == {"community"}


def test_close_tells_the_reporter(verified, people):
    case = services.case_close(actor=people["community"], case=verified, note="居民联系不上")
    assert told(people, case, K.CLOSED) == {"grid"}


def test_urgent_tells_whoever_the_case_waits_for(dispatched, people):
    case = services.case_mark_urgent(actor=people["street"], case=dispatched)
    assert told(people, case, K.URGENT) == {"dept"}


def test_supervision_tells_the_handler_and_the_desk_above_it(dispatched, people):
    case = services.case_supervise(
        actor=people["street"], case=dispatched, level="yellow", note="请加快办理"
    )
    assert told(people, case, K.SUPERVISED) == {"dept", "community"}


def test_merge_tells_the_reporter_of_the_duplicate(new_case, people):
    kept, duplicate = new_case(), new_case(title="同一处垃圾")
    case = services.case_merge(actor=people["community"], case=duplicate, into=kept)
    assert told(people, case, K.MERGED) == {"grid"}


def test_warning_and_overdue_tell_the_handler_and_the_level_above(dispatched, people):
    services.sweep_overdue(now=timezone.now() + timedelta(days=60))
    assert told(people, dispatched, K.OVERDUE) == {"dept", "street"}
    assert NOTICES[Action.WARN][0].to == NOTICES[Action.OVERDUE][0].to


def test_texts_are_stored_as_codes_and_read_in_the_readers_language(resolved, people):
    notification = Notification.objects.get(recipient=people["grid"], kind=K.RESOLVED)
    assert notification.params == {"number": resolved.number, "title": resolved.title}
    with translation.override("zh-hans"):
        assert notice_text(K.SUPERVISED, notification.params).startswith("事件被督办")
    with translation.override("en"):
        english = notice_text(K.SUPERVISED, notification.params)
    assert english.startswith("Case under supervision") and resolved.number in english


def test_the_notification_page_and_api_render_in_english(client, resolved, people):
    client.force_login(people["grid"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    Notification.objects.filter(recipient=people["grid"]).update(kind=K.SUPERVISED)
    page = client.get("/cases/notifications/").content.decode()
    assert "Case under supervision" in page
    api = client.get("/api/v1/case-notifications/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert any(row["text"].startswith("Case under supervision") for row in api["results"])
    assert all(row["kind"] == K.SUPERVISED and row["params"] for row in api["results"])


def test_an_extension_keeps_its_days(asked, people):
    notification = Notification.objects.get(recipient=people["community"], kind=K.EXTENSION)
    assert notification.params["days"] == 2


def test_the_phone_header_shows_the_bell_with_its_count_outside_the_menu(client, new_case, people):
    new_case()
    client.force_login(people["community"])
    page = client.get("/cases/").content.decode()
    bell, menu = page.index('data-testid="bell"'), page.index('id="mainnav"')
    assert bell < menu  # in the bar beside the menu button, not folded into the menu
    assert page.count('data-testid="bell"') == 1
    assert 'data-testid="bell-count">1<' in page
