"""The transition table is the one place an action is described: its form, its service, its
page. Building a form costs queries only for an action that needs units."""

import inspect
from collections.abc import Callable
from typing import Any

import pytest

from cases import services
from cases.forms import TransitionForm
from cases.workflow import TRANSITIONS, Need

pytestmark = pytest.mark.django_db

#: The keywords of the service each input of the form becomes.
KEYWORDS = {
    Need.UNITS: {"lead", "cooperating"},
    Need.PERSON: {"person"},
    Need.DAYS: {"days"},
    Need.SATISFACTION: {"satisfaction"},
    Need.CARD: {"level"},
    Need.TARGET: {"into"},
    Need.PHOTOS: {"photos"},
}


def test_every_action_of_the_table_has_a_service_taking_what_its_row_needs():
    assert set(services.SERVICES) == set(TRANSITIONS)
    for action, transition in TRANSITIONS.items():
        accepted = set(inspect.signature(services.SERVICES[action]).parameters)
        wanted = {"actor", "case", "note"}.union(*(KEYWORDS[n] for n in transition.needs))
        assert wanted <= accepted, action


def test_each_form_holds_the_fields_its_row_needs_and_no_others(people):
    for action, transition in TRANSITIONS.items():
        form = TransitionForm(actor=people["admin"], action=action)
        expected = {"action", "note"} | {
            {Need.UNITS: "lead", Need.CARD: "level", Need.TARGET: "into"}.get(n, str(n))
            for n in transition.needs
        }
        if Need.UNITS in transition.needs:
            expected.add("cooperating")
        assert set(form.fields) == expected, action
        assert form.fields["note"].required == (transition.note_required is not None), action


def test_an_action_that_needs_no_unit_builds_and_parses_its_form_without_a_query(
    people, django_assert_num_queries: Callable[..., Any]
):
    with django_assert_num_queries(0):
        form = TransitionForm(actor=people["community"], action="accept")
        assert "lead" not in form.fields
        str(form["note"])
        bound = TransitionForm({"action": "accept", "note": "受理"}, actor=people["community"])
        assert bound.is_valid(), bound.errors
        assert bound.service_params() == {"note": "受理"}


def test_dispatch_looks_up_the_units_it_offers(people, department):
    form = TransitionForm(actor=people["community"], action="dispatch")
    offered = dict(form.fields["cooperating"].choices)  # type: ignore[attr-defined]
    assert dict(offered["区直部门"])[f"department:{department.pk}"] == department.name


def test_a_required_note_is_refused_by_the_form_with_the_services_message(people):
    form = TransitionForm({"action": "escalate", "note": " "}, actor=people["community"])
    assert not form.is_valid()
    assert form.errors["note"] == [str(TRANSITIONS["escalate"].note_required)]
    unknown = TransitionForm({"action": "fly"}, actor=people["community"])
    assert not unknown.is_valid() and "action" in unknown.errors
