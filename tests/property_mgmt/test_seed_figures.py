"""seed_demo's 红色物业 part: the portal computes the report's figures from the raw records."""

from typing import Any

import pytest

from accounts.models import User
from cases.models import Case, CaseSource
from property_mgmt.figures import seed_figures
from property_mgmt.models import ComplaintDetail, SurveyAnswer

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: Any, settings: Any) -> None:
    from cases import demo as cases_demo
    from governance import demo as governance_demo
    from property_mgmt import demo as property_demo
    from shell import demo as shell_demo

    lines: list[str] = []
    for module in (governance_demo, shell_demo, cases_demo, property_demo):
        module.seed(lines.append)
    # idempotent: a second run adds nothing
    before = (ComplaintDetail.objects.count(), SurveyAnswer.objects.count())
    property_demo.seed(lines.append)
    assert (ComplaintDetail.objects.count(), SurveyAnswer.objects.count()) == before


def test_the_figures_the_seed_report_quotes(demo: None, api_for: Any, client: Any) -> None:
    """One test, because seeding the demo district takes a while."""
    admin = User.objects.get(username="district_admin")
    figures = {f.key: f for f in seed_figures(admin)}
    # −60 % complaint rate and +60 % satisfaction, computed from complaints and answers
    assert round(figures["property_complaint_rate_change_pct"].value) == -60
    assert round(figures["property_satisfaction_change_pct"].value) == 60
    assert figures["property_service_coverage_pct"].value > 80
    assert 0 < figures["owners_committee_rate_pct"].value < 100
    assert figures["triple_none_estates"].value >= 1
    # the complaints are real cases reported through the service
    assert (
        not ComplaintDetail.objects.exclude(case__source=CaseSource.PROPERTY)
        .filter(kind="complaint")
        .exists()
    )
    assert (
        Case.objects.filter(property_detail__isnull=False).count()
        == ComplaintDetail.objects.count()
    )
    # the API answers the same
    body = api_for(admin).get("/api/v1/property/stats/figures/").json()
    assert {row["key"]: row["value"] for row in body["figures"]}[
        "property_complaint_rate_change_pct"
    ] == figures["property_complaint_rate_change_pct"].value
    # and so does the seed report's endpoint the dashboards and outside screens read
    seed = api_for(admin).get("/api/v1/stats/seed-figures/").json()["figures"]
    quoted = {row["key"]: row["value"] for row in seed}
    for key in ("property_complaint_rate_change_pct", "property_satisfaction_change_pct"):
        assert quoted[key] == figures[key].value, key
    assert round(quoted["property_complaint_rate_change_pct"]) == -60
    assert round(quoted["property_satisfaction_change_pct"]) == 60
    # the property staff's desk at /property/
    client.force_login(User.objects.get(username="property_staff"))
    page = client.get("/property/").content.decode()
    for section in ("company-desk", "my-resolutions", "my-surveys"):
        assert f'data-testid="{section}"' in page
