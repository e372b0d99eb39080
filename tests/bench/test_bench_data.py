"""The benchmark's data: a district as open, late and supervised as a real one, the load's
parameters on record, the markers of bench/scenarios.py found in the bodies they guard, and
write rows that leave the database as they found it (bench/restore.py). One load of scale
0.01 (10,000 cases) for the module, wiped when it is done; each test runs in a transaction."""

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from accounts.models import User
from bench import loadgen
from bench.loadgen.plan import GENERATOR_VERSION, SEED
from bench.models import LoadMarker
from bench.restore import Checkpoint, RestoreError
from bench.scenarios import CASE_ROW, Scenario, acceptable, resolve, scenarios
from cases.models import OPEN_STATES, Case, CaseEvent
from tests.accounts.factories import api_token_key

SCALE = "0.01"
END = datetime(2026, 11, 27, 17, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        loadgen.generate(scale=SCALE, log=lambda line: None)
        yield
        loadgen.wipe()


def client_for(scenario: Scenario) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    user = User.objects.get(username=scenario.user)
    if scenario.api:
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {api_token_key(user)}"
    else:
        client.force_login(user)
    return client


def test_the_district_is_as_open_late_and_supervised_as_a_real_one(loaded: None) -> None:
    cases = Case.objects.count()
    open_cases = Case.objects.filter(state__in=OPEN_STATES)
    n_open = open_cases.count()
    # about 2 % of cases open
    assert 0.015 <= n_open / cases <= 0.025
    # 5-10 % of the open ones overdue (a few hundred cases: a point of slack below)
    assert 0.04 <= open_cases.filter(alert="red").count() / n_open <= 0.10
    # about 10 % of the open ones supervised
    assert 0.07 <= open_cases.exclude(supervision="").count() / n_open <= 0.14
    # and the timelines as long as before (6.9 rows per case)
    assert 6.5 <= CaseEvent.objects.count() / cases <= 7.3
    # and every open case past its deadline is marked red, as the sweep would have it
    assert not open_cases.exclude(alert="red").filter(due_at__lt=END - timedelta(hours=1))


def test_the_load_records_its_parameters_and_the_shares_it_came_out_with(loaded: None) -> None:
    parameters = LoadMarker.objects.get().parameters
    assert parameters["scale"] == str(Decimal(SCALE)) and parameters["seed"] == SEED
    assert parameters["version"] == GENERATOR_VERSION
    assert parameters["end"].startswith("2026-11-27 17:30:00")
    assert parameters["shares"]["targets"]["overdue_of_open"] == "5-10 %"
    measured = parameters["measured"]
    open_cases = Case.objects.filter(state__in=OPEN_STATES)
    assert measured["open_of_cases"] == round(open_cases.count() / Case.objects.count(), 4)
    assert measured["overdue_of_open"] == round(
        open_cases.filter(alert="red").count() / open_cases.count(), 4
    )


def test_every_scenario_names_a_marker_that_its_body_holds(loaded: None) -> None:
    values = resolve()
    for scenario in scenarios():
        assert scenario.marker, f"{scenario.name} names no marker"
        if scenario.method != "GET":
            continue
        response = client_for(scenario).get(scenario.path.format(**values))
        assert response.status_code == 200, scenario.name
        assert scenario.marker.format(**values) in response.content.decode(), scenario.name


def test_the_row_marker_is_not_on_an_empty_list(loaded: None) -> None:
    scenario = next(s for s in scenarios() if s.name == "case list, community")
    # rejected cases have no deadline, so none is overdue
    response = client_for(scenario).get("/cases/?state=rejected&alert=overdue")
    assert response.status_code == 200
    assert CASE_ROW not in response.content.decode()


def test_transition_targets_are_fresh_cases_the_desk_may_accept(loaded: None) -> None:
    # given
    scenario = next(s for s in scenarios() if s.paths)
    before = Case.objects.count()
    # when
    paths = acceptable(3)
    # then
    assert len(set(paths)) == 3 and Case.objects.count() == before + 3
    client = client_for(scenario)
    for path in paths:
        response = client.post(path, json.dumps(scenario.body), content_type="application/json")
        assert response.status_code == 200
        assert str(scenario.marker) in response.content.decode()


def test_what_a_write_row_wrote_is_removed_and_the_ids_come_again(loaded: None) -> None:
    # given a checkpoint, then what the create and transition rows do
    values = resolve()
    creating = next(s for s in scenarios() if s.name == "API case create")
    body = json.dumps({k: v.format(**values) for k, v in (creating.body or {}).items()})
    transition = next(s for s in scenarios() if s.paths)
    reporter, desk = client_for(creating), client_for(transition)  # tokens, as the harness
    checkpoint = Checkpoint.take()
    first = reporter.post(creating.path, body, content_type="application/json")
    assert first.status_code == 201
    for path in acceptable(2):
        desk.post(path, json.dumps(transition.body), "application/json")
    assert checkpoint.compare() != []
    # when
    deleted = checkpoint.restore()
    # then
    assert deleted["cases_case"] == 3 and deleted["cases_caseevent"] >= 5
    assert checkpoint.compare() == []
    again = reporter.post(creating.path, body, content_type="application/json")
    assert again.json()["id"] == checkpoint.tables["cases_case"][1] + 1


def test_a_change_to_a_case_that_was_there_before_fails_the_restore(loaded: None) -> None:
    checkpoint = Checkpoint.take()
    case = Case.objects.filter(state="closed").order_by("pk").first()
    assert case is not None
    case.title = "改过的标题"
    case.save()
    with pytest.raises(RestoreError, match="cases that were there before were changed"):
        checkpoint.restore()


def test_a_table_without_ids_that_grows_fails_the_restore(loaded: None) -> None:
    checkpoint = Checkpoint.take()
    Token.objects.create(user=User.objects.get(username="load_street_staff"))
    with pytest.raises(RestoreError, match="authtoken_token"):
        checkpoint.restore()
