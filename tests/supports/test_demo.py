"""seed_demo's three supports: the report's figures come out of the records it loads."""

from typing import Any

import pytest

from accounts.models import User
from grids.models import CommunityWorker
from supports.figures import seed_figures
from supports.models import (
    Applicant,
    ApplicantResult,
    FundSpending,
    RoomBooking,
    ServiceCentre,
    ServiceRecord,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: Any) -> list[str]:
    from governance import demo as governance_demo
    from grids import demo as grids_demo
    from shell import demo as shell_demo
    from supports import demo as supports_demo

    lines: list[str] = []
    for module in (governance_demo, shell_demo, grids_demo, supports_demo):
        module.seed(lines.append)
    return lines


def test_the_demo_gives_the_reports_figures_and_is_idempotent(demo: list[str], client) -> None:
    """One test: loading the demo district takes a while."""
    figures = {f.key: f.value for f in seed_figures(User.objects.get(username="district_leader"))}
    assert figures["secretary_studios"] == 1
    assert figures["studio_problems_solved"] >= 40
    assert figures["community_work_fund_yuan"] == 260000
    assert figures["community_service_fund_yuan"] == 80000
    # the roster keeps the report's 34 workers: applicants passed, none hired
    assert CommunityWorker.objects.count() == 34
    assert not Applicant.objects.filter(result=ApplicantResult.HIRED).exists()
    assert Applicant.objects.filter(result=ApplicantResult.PASSED).count() == 8
    # a centre for every street and community, all seven kinds served
    assert ServiceCentre.objects.filter(level="street").count() == 6
    assert ServiceCentre.objects.filter(level="community").count() == 15
    assert ServiceRecord.objects.values("kind").distinct().count() == 7
    counts = (
        ServiceCentre.objects.count(),
        ServiceRecord.objects.count(),
        FundSpending.objects.count(),
        RoomBooking.objects.count(),
    )
    from supports import demo as supports_demo

    supports_demo.seed(lambda line: None)
    assert (
        ServiceCentre.objects.count(),
        ServiceRecord.objects.count(),
        FundSpending.objects.count(),
        RoomBooking.objects.count(),
    ) == counts
    # a community sees its own funds; last year's lower budgets are flagged
    client.force_login(User.objects.get(username="community_staff"))
    page = client.get("/supports/funds/").content.decode()
    assert "华阳社区" in page and "古城社区" not in page
    from django.utils import timezone

    last = timezone.localdate().year - 1
    flagged = client.get(f"/supports/funds/?year={last}&flagged=yes").content.decode()
    assert "低于区定标准" in flagged
    mine = {f.key: f.value for f in seed_figures(User.objects.get(username="community_staff"))}
    assert 0 < mine["studio_problems_solved"] < 42
