"""One visit, problems of different kinds: each problem is reported under its own category."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from cases.models import Case
from grids import services
from tests.cases.factories import category

from .factories import grid, household, problem_category, square

pytestmark = pytest.mark.django_db


def test_each_problem_of_a_visit_keeps_its_own_category(client, make_user, tree):
    target = grid(tree["community"], boundary=square(117.73, 34.56))
    services.grid_cover_area(actor=None, grid=target, area=tree["estate"])
    client.force_login(make_user(Role.GRID_WORKER))
    lights = problem_category()
    quarrel = category(name="邻里纠纷", parent_name="矛盾纠纷")
    form = {
        "grid": target.pk,
        "household": household(tree["building"]).pk,
        "visited_on": str(timezone.localdate()),
        "kind": "door",
        "heard": "反映问题",
        "problems": "楼道灯不亮",
        "problem_category": lights.pk,
        "problem_2": "楼上漏水引发邻里矛盾",
    }
    # a second problem without its category is refused, and nothing is saved
    refused = client.post("/grids/visits/new/", form)
    assert "发现问题时请选择事件类别" in refused.content.decode()
    assert not Case.objects.exists()
    # with its own category, both are reported, each under its category
    done = client.post("/grids/visits/new/", {**form, "problem_category_2": quarrel.pk})
    assert done.status_code == 302
    assert sorted(Case.objects.values_list("category__name", flat=True)) == sorted(
        ["楼道设施", "邻里纠纷"]
    )
