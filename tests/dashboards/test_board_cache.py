"""The dashboard is counted once and then kept until a figure behind it changes: a person who
reloads it costs a few queries, and a case reported or accepted meanwhile shows at once."""

import re

import pytest
from django.test import Client

from cases.services import case_accept
from tests.cases.factories import report

pytestmark = pytest.mark.django_db


def reported(client: Client) -> int:
    html = client.get("/dashboard/").content.decode()
    match = re.search(r'data-kpi="reported".*?class="kpi__value">(\d+)', html, re.S)
    assert match and 'data-testid="counted-at"' in html, "the page shows no 上报 figure"
    return int(match.group(1))


def test_a_reload_is_served_kept_and_a_change_shows_at_once(people, tree, cat, count_queries):
    client = Client()
    client.force_login(people["leader"])
    report(people["grid"], tree["estate"], cat)
    first = count_queries(client, "/dashboard/")
    # a reload with nothing changed: the same figure, without counting the board again
    assert reported(client) == 1
    again = count_queries(client, "/dashboard/")
    assert again < first / 2, (first, again)
    # a case reported: the next reload counts again and shows it
    case = report(people["grid"], tree["estate"], cat)
    assert reported(client) == 2
    # a case accepted changes no figure of 上报, but the board is counted again
    case_accept(actor=people["community"], case=case)
    assert count_queries(client, "/dashboard/") > again


def test_kept_pages_are_never_shared_between_users(people, tree, cat):
    report(people["grid"], tree["estate"], cat)
    report(people["other_grid"], tree["other_estate"], cat)
    leader, street = Client(), Client()
    leader.force_login(people["leader"])
    street.force_login(people["street"])
    assert reported(leader) == 2
    # the street's staff ask the same address: their own street only, not the leader's page
    assert reported(street) == 1


def test_the_big_screen_panel_is_kept_and_refreshed_by_a_change(people, tree, cat, count_queries):
    client = Client()
    client.force_login(people["leader"])
    report(people["grid"], tree["estate"], cat)
    first = client.get("/dashboard/screen/panel/")
    assert first.status_code == 200 and 'id="screen-kpis"' in first.content.decode()
    kept = count_queries(client, "/dashboard/screen/panel/")
    assert client.get("/dashboard/screen/panel/").content == first.content
    report(people["grid"], tree["estate"], cat)
    assert count_queries(client, "/dashboard/screen/panel/") > kept
    assert client.get("/dashboard/screen/panel/").content != first.content
