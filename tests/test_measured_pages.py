"""Every page and API call that `make bench` measures makes as many queries on a small district
as on one three times its size (bench/scenarios.py lists them; generate_load builds both)."""

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from bench import loadgen
from bench.scenarios import Scenario, resolve, scenarios
from tests.accounts.factories import api_token_key
from tests.accounts.two_factor import verify_session

pytestmark = pytest.mark.django_db

SMALL, LARGE = "0.002", "0.006"


def client_for(scenario: Scenario) -> Client:
    client = Client()
    user = User.objects.get(username=scenario.user)
    if scenario.api:
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {api_token_key(user)}"
    else:
        client.force_login(user)
        # the module's load is made outside the tests' sign-in hook: give the second factor here
        session = client.session
        verify_session(session, user)
        session.save()
    return client


def count(scenario: Scenario, values: dict[str, Any], count_queries: Callable[..., int]) -> int:
    """The queries of one request of the scenario (which must answer 200, or 201 for a write);
    a transition accepts a case that the grid worker has just reported, as the bench run does."""
    client = client_for(scenario)
    path = scenario.path.format(**values)
    if scenario.paths:
        path = path.replace("{id}", str(values["fresh_case"]))
    if scenario.method != "POST":
        return count_queries(client, path)
    body = json.dumps({k: v.format(**values) for k, v in (scenario.body or {}).items()})
    expected = 200 if scenario.paths else 201  # a transition of an existing case, or a create
    return count_queries(
        client, path, status=expected, method="post", data=body, content_type="application/json"
    )


def measure(scale: str, count_queries: Callable[..., int]) -> dict[str, int]:
    loadgen.generate(scale=scale, log=lambda line: None)
    try:
        values = resolve()
        creating = next(s for s in scenarios() if s.name == "API case create")
        # a reported case the community desk may accept, for the transition scenario
        response = client_for(creating).post(
            "/api/v1/cases/",
            json.dumps({k: v.format(**values) for k, v in (creating.body or {}).items()}),
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        values["fresh_case"] = response.json()["id"]
        return {s.name: count(s, values, count_queries) for s in scenarios()}
    finally:
        loadgen.wipe()


@pytest.fixture(scope="module")
def measured(
    django_db_setup: Any, django_db_blocker: Any, count_queries: Callable[..., int]
) -> Iterator[dict[str, dict[str, int]]]:
    with django_db_blocker.unblock():
        yield {"small": measure(SMALL, count_queries), "large": measure(LARGE, count_queries)}


@pytest.mark.parametrize("name", [s.name for s in scenarios()])
def test_a_measured_page_makes_the_same_queries_at_three_times_the_size(
    measured: dict[str, dict[str, int]], name: str
) -> None:
    small_queries, large_queries = measured["small"][name], measured["large"][name]
    assert small_queries == large_queries, f"{name}: {small_queries} → {large_queries} queries"
