import pytest
from django.utils import timezone

from accounts.roles import Role
from supports.figures import seed_figures
from supports.models import FundKind

from .factories import budget, problem, solved

pytestmark = pytest.mark.django_db


def by_key(actor):
    return {figure.key: figure for figure in seed_figures(actor)}


def test_no_records_no_figures(tree, make_user):
    assert by_key(make_user(Role.DISTRICT_LEADER)) == {}


def test_the_studio_and_its_solved_problems_are_counted_live(tree, make_user):
    for _ in range(3):
        solved(tree["community"])
    solved(tree["other_community"])
    problem(tree["community"])  # still in hand
    figures = by_key(make_user(Role.DISTRICT_LEADER))
    assert figures["secretary_studios"].value == 1 and figures["secretary_studios"].seed == 1
    solved_figure = figures["studio_problems_solved"]
    assert (solved_figure.value, solved_figure.seed) == (4, 40)
    assert solved_figure.drill == "/supports/studio/problems/?state=solved"
    # a community counts its own
    assert by_key(make_user(Role.COMMUNITY_STAFF))["studio_problems_solved"].value == 3


def test_the_fund_figures_are_what_every_community_gets_at_least(tree, make_user):
    year = timezone.localdate().year
    budget(tree["community"], FundKind.WORK, "260000", year)
    budget(tree["other_community"], FundKind.WORK, "280000", year)
    budget(tree["community"], FundKind.SERVICE, "80000", year)
    budget(tree["other_community"], FundKind.WORK, "100000", year - 1)
    figures = by_key(make_user(Role.DISTRICT_ADMIN))
    work, service = figures["community_work_fund_yuan"], figures["community_service_fund_yuan"]
    assert (work.value, work.seed) == (260000, 260000)
    assert (service.value, service.seed) == (80000, 80000)
    assert work.drill == f"/supports/funds/?year={year}"
    assert (
        by_key(make_user(Role.COMMUNITY_STAFF, "other_community"))["community_work_fund_yuan"].value
        == 280000
    )


def test_fund_figures_are_not_for_grid_workers(tree, make_user):
    budget(tree["community"])
    solved(tree["community"])
    assert by_key(make_user(Role.GRID_WORKER)) == {}
    assert by_key(make_user(Role.AUDITOR)) == {}
