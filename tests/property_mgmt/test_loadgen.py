"""The bench loader's 红色物业 part on a small district."""

from typing import Any

import pytest

from cases.models import Category
from property_mgmt.loadgen import load_property
from property_mgmt.models import ComplaintDetail, ServiceContract, SurveyAnswer
from tests.cases.factories import category, report

from . import factories as f

pytestmark = pytest.mark.django_db


def test_load_property_is_deterministic_and_idempotent(
    tree: dict[str, Any], make_user: Any
) -> None:
    f.households(tree["estate"], 5)
    grid_worker = make_user("grid_worker")
    cat: Category = category()
    for i in range(3):
        report(grid_worker, tree["building"], cat, title=f"问题{i}")
    counts = load_property(scale=0.0001, seed=7, log=lambda line: None)
    assert counts["companies"] == 3
    assert ServiceContract.objects.count() == counts["contracts"]
    assert ComplaintDetail.objects.count() == counts["complaints"] <= 5
    assert SurveyAnswer.objects.count() == counts["answers"]
    assert load_property(scale=0.0001, seed=7, log=lambda line: None) == {}
