"""A project's state changes: one table, the sides that may take each action, and two people
changing one project at once (one wins, the other is told why)."""

import threading
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from common.errors import Conflict
from volunteers import policies, services
from volunteers.models import ProjectEvent, ProjectState
from volunteers.workflow import TRANSITIONS, Side, allowed_from

from . import factories


def test_every_open_state_can_be_left_and_the_ends_cannot():
    sources = set().union(*(t.sources for t in TRANSITIONS.values() if t.target))
    assert sources == {ProjectState.PROPOSED, ProjectState.AGREED, ProjectState.IN_PROGRESS}
    assert not allowed_from("start", ProjectState.PROPOSED)
    assert allowed_from("cancel", ProjectState.IN_PROGRESS)
    assert not allowed_from("cancel", ProjectState.COMPLETED)
    assert all(t.sides <= {Side.COMMUNITY, Side.LEAD} for t in TRANSITIONS.values())


@pytest.mark.django_db
def test_the_path_to_completion_is_on_the_timeline(tree, unit):
    project = factories.project(tree["community"], unit, state="completed")
    actions = list(ProjectEvent.objects.filter(project=project).values_list("action", flat=True))
    assert actions == ["propose", "agree", "start", "complete"]


@pytest.mark.django_db
def test_a_refused_transition_names_the_state_it_found(tree, unit):
    project = factories.project(tree["community"], unit)
    with pytest.raises(Conflict, match="拟定"):
        services.project_start(actor=None, project=project)


@pytest.mark.django_db
def test_cancel_needs_a_reason_and_rating_is_once(tree, unit):
    project = factories.project(tree["community"], unit, state="agreed")
    with pytest.raises(ValidationError):
        services.project_cancel(actor=None, project=project, note=" ")
    done = factories.project(tree["community"], unit, state="completed")
    services.project_rate(actor=None, project=done, rating=5, note="满意")
    with pytest.raises(Conflict, match="已评价"):
        services.project_rate(actor=None, project=done, rating=4)
    with pytest.raises(ValidationError):
        services.project_rate(actor=None, project=factories.project(
            tree["community"], unit, state="completed"), rating=6)  # fmt: skip


@pytest.mark.django_db
def test_a_change_in_between_is_refused_even_if_the_action_would_still_fit(tree, unit):
    # given: the user saw "agreed", then someone started the project
    project = factories.project(tree["community"], unit, state="agreed")
    services.project_start(actor=None, project=project)
    # when they press cancel with the state they saw
    with pytest.raises(Conflict, match="已被他人改为"):
        services.project_cancel(
            actor=None, project=project, note="不做了", expected_state=ProjectState.AGREED
        )


@pytest.mark.django_db
def test_the_lead_units_liaison_may_start_but_not_agree_and_another_unit_neither(
    tree, unit, other_unit, make_user
):
    liaison = make_user("department_liaison")
    staff = make_user("community_staff")
    led = factories.project(tree["community"], unit)
    assert not policies.can_take(liaison, "agree", led)
    assert policies.can_take(staff, "agree", led)
    with pytest.raises(PermissionDenied):
        services.project_agree(actor=liaison, project=led)
    services.project_agree(actor=staff, project=led)
    services.project_start(actor=liaison, project=led)
    others = factories.project(tree["community"], other_unit, state="agreed")
    assert not policies.can_take(liaison, "start", others)
    sibling_staff = make_user("community_staff", "other_community")
    assert not policies.can_take(sibling_staff, "agree", factories.project(tree["community"]))


@pytest.mark.django_db(transaction=True)
def test_two_people_changing_one_project_at_once_one_wins(tree, unit, make_user, api_for):
    # given: an agreed project and two community workers, one starting it, one cancelling
    project = factories.project(tree["community"], unit, state="agreed")
    clients = [api_for(make_user("community_staff")), api_for(make_user("community_staff"))]
    bodies = [
        {"action": "start", "expected_state": "agreed"},
        {"action": "cancel", "note": "资源不足", "expected_state": "agreed"},
    ]
    barrier = threading.Barrier(2)
    results: list[tuple[int, Any]] = []

    def press(client: Any, body: dict[str, str]) -> None:
        barrier.wait()
        try:
            response = client.post(
                f"/api/v1/cobuild-projects/{project.pk}/transitions/", body, format="json"
            )
            results.append((response.status_code, response.json()))
        finally:
            connection.close()

    # when both press at the same moment, on real threads and connections
    threads = [
        threading.Thread(target=press, args=pair) for pair in zip(clients, bodies, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then: one transition, one clear refusal
    assert sorted(code for code, _body in results) == [200, 409]
    refusal = next(body for code, body in results if code == 409)
    assert "已被他人改为" in refusal["detail"]
    project.refresh_from_db()
    assert project.state in (ProjectState.IN_PROGRESS, ProjectState.CANCELLED)
    assert ProjectEvent.objects.filter(project=project, action__in=["start", "cancel"]).count() == 1
