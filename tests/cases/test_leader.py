"""The district leader supervises: 督办 with any card and 加急 on any case of the district,
and nothing else; a red-overdue case shows them the action."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import policies, services
from cases.models import Case, Notification, NotificationKind, SupervisionLevel
from cases.workflow import TRANSITIONS, Action

pytestmark = pytest.mark.django_db

SUPERVISION = {Action.SUPERVISE, Action.MARK_URGENT}


def test_the_leader_may_supervise_and_hurry_and_nothing_else(new_case, dispatched, people):
    for case in (new_case(), new_case("other_estate"), dispatched):
        case = Case.objects.prefetch_related("assignments").get(pk=case.pk)
        allowed = {t.action for t in policies.available_actions(people["leader"], case)}
        assert allowed == SUPERVISION
        for action in set(TRANSITIONS) - SUPERVISION:
            assert not policies.can_take(people["leader"], action, case), action


@pytest.mark.parametrize("card", [SupervisionLevel.ORDINARY, SupervisionLevel.YELLOW,
                                  SupervisionLevel.RED])  # fmt: skip
def test_the_leader_issues_any_card_on_any_street(new_case, people, card):
    case = new_case("other_estate")
    services.case_supervise(actor=people["leader"], case=case, level=card, note="限期办结")
    case.refresh_from_db()
    assert case.supervision == card
    assert case.events.filter(action=Action.SUPERVISE, actor=people["leader"]).exists()
    told = set(
        Notification.objects.filter(kind=NotificationKind.SUPERVISED).values_list(
            "recipient", flat=True
        )
    )
    # the community that handles it and the street above it hear of the leader's card
    assert told == {people["other_community"].pk, people["other_street"].pk}


def test_the_leader_marks_a_case_urgent(dispatched, people):
    services.case_mark_urgent(actor=people["leader"], case=dispatched)
    dispatched.refresh_from_db()
    assert dispatched.is_urgent
    assert Notification.objects.filter(
        recipient=people["dept"], kind=NotificationKind.URGENT
    ).exists()


def test_a_red_overdue_case_shows_the_leader_the_supervision_form(client, dispatched, people):
    services.sweep_overdue(now=timezone.now() + timedelta(days=60))
    dispatched.refresh_from_db()
    assert dispatched.alert == "red"
    client.force_login(people["leader"])
    page = client.get(f"/cases/{dispatched.pk}/").content.decode()
    assert 'data-action="supervise"' in page and 'data-action="mark_urgent"' in page
    assert 'data-action="resolve"' not in page and 'data-action="dispatch"' not in page
    response = client.post(
        f"/cases/{dispatched.pk}/transition/",
        {"action": "supervise", "level": SupervisionLevel.RED, "note": "红牌督办，三日内办结"},
    )
    assert response.status_code == 302
    dispatched.refresh_from_db()
    assert dispatched.supervision == SupervisionLevel.RED
