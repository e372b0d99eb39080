"""The stats API: DESIGN.md's seed-figure shape, case figures and rankings for outside screens,
in the caller's scope; 403 for the security administrator and the auditor."""

import pytest

from accounts.roles import Role
from tests.cases.factories import report

pytestmark = pytest.mark.django_db


def test_seed_figures_have_the_contract_shape(api_for, people):
    response = api_for(people["leader"]).get("/api/v1/stats/seed-figures/")
    assert response.status_code == 200
    figures = response.json()["figures"]
    assert figures, "grids records visits, workers and stations"
    keys = {f["key"] for f in figures}
    assert {"visits", "visit_problems_solved", "new_grids_with_red_stations"} <= keys
    for figure in figures:
        assert set(figure) >= {"key", "label", "value", "seed", "drill"}
        assert figure["drill"].startswith("/")
    visits = next(f for f in figures if f["key"] == "visits")
    assert visits["value"] == 0 and visits["seed"] == 1180


def test_a_figure_whose_app_has_not_landed_is_absent(api_for, people, monkeypatch):
    from dashboards import seed

    monkeypatch.setattr(seed, "PROVIDERS", ["grids.figures", "nowhere_app.figures"])
    keys = {
        f["key"]
        for f in api_for(people["leader"]).get("/api/v1/stats/seed-figures/").json()["figures"]
    }
    assert "visits" in keys and "departments_checked_in" not in keys


def test_case_stats_are_the_callers_scope(api_for, people, tree, cat):
    report(people["grid"], tree["estate"], cat)
    report(people["other_grid"], tree["other_estate"], cat)
    district = api_for(people["leader"]).get("/api/v1/stats/cases/").json()
    street = api_for(people["street"]).get("/api/v1/stats/cases/").json()
    reported = {k["key"]: k for k in district["kpis"]}["reported"]
    assert reported["value"] == 2 and reported["drill"]
    assert {k["key"]: k for k in street["kpis"]}["reported"]["value"] == 1
    assert street["territory"]["level"] == "street"
    assert {t["key"] for t in district["tables"]} >= {"trend", "areas", "states", "categories"}
    outside = api_for(people["street"]).get(f"/api/v1/stats/cases/?area={tree['other_street'].pk}")
    assert outside.status_code == 404


def test_rankings_state_the_formula(api_for, people, tree, cat):
    report(people["grid"], tree["estate"], cat)
    body = api_for(people["leader"]).get("/api/v1/stats/rankings/?period=month").json()
    subjects = {r["subject"]: r for r in body["rankings"]}
    assert {"streets", "communities", "departments", "companies", "grid_workers"} <= set(subjects)
    assert "得分" in subjects["streets"]["formula"]
    assert subjects["streets"]["weights"]["on_time"] == 30


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDITOR])
def test_the_security_admin_and_the_auditor_get_403(api_for, make_user, role):
    client = api_for(make_user(role))
    for url in ("/api/v1/stats/", "/api/v1/stats/seed-figures/", "/api/v1/stats/cases/"):
        assert client.get(url).status_code == 403, url


def test_the_endpoints_are_in_the_schema(api_for, people):
    schema = api_for(people["admin"]).get("/api/schema/").content.decode()
    for path in ("/api/v1/stats/seed-figures/", "/api/v1/stats/cases/", "/api/v1/stats/rankings/"):
        assert path in schema
