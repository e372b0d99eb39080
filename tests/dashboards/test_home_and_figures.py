"""The role home pages' figures and the grids' seed figures."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import Case
from grids.figures import seed_figures
from grids.models import CommunityWorker, Grid, Station
from tests.cases.factories import report

pytestmark = pytest.mark.django_db


def test_the_community_home_shows_what_waits_due_today_overdue_and_supervised(people, tree, cat):
    first = report(people["grid"], tree["estate"], cat)
    second = report(people["grid"], tree["estate"], cat)
    report(people["other_grid"], tree["other_estate"], cat)
    end_of_today = timezone.localtime().replace(hour=23, minute=59)
    Case.objects.filter(pk=first.pk).update(due_at=end_of_today)
    Case.objects.filter(pk=second.pk).update(due_at=end_of_today + timedelta(days=3), alert="red")
    client = Client()
    client.force_login(people["community"])
    response = client.get("/")
    work = {f.key: f.value for f in response.context["summary"]["work"]}
    assert work == {"waiting": 2, "due_today": 1, "overdue": 1, "supervised": 0}
    kpis = {k.key: k.value for k in response.context["summary"]["dashboard"]["kpis"]}
    assert kpis["reported"] == 2
    assert "待我办理" in response.content.decode()


def test_the_auditor_home_has_no_work_and_no_dashboard(make_user):
    client = Client()
    client.force_login(make_user("auditor"))
    response = client.get("/")
    assert "work" not in response.context["summary"]
    assert response.context["summary"]["dashboard"] is None


def test_the_grids_seed_figures_count_the_records_of_the_scope(people, tree):
    grid = Grid.objects.create(
        community=tree["community"], area_path=tree["community"].path, code="G1", name="一网格"
    )
    Station.objects.create(
        grid=grid, area_path=grid.area_path, kind="red_station", name="红色驿站", address="一号",
        opening_hours="全天", services=["station", "volunteer"],
    )  # fmt: skip
    for n, duty in enumerate(["mediator", "service", "service"]):
        CommunityWorker.objects.create(
            community=tree["community"], area_path=tree["community"].path, name=f"工作者{n}",
            post="staff", grade=1 + n, duty=duty,
        )  # fmt: skip
    CommunityWorker.objects.create(
        community=tree["other_community"], area_path=tree["other_community"].path, name="别处",
        post="staff", grade=3, duty="survey",
    )  # fmt: skip
    mine = {f.key: f.value for f in seed_figures(people["community"])}
    assert mine["new_grids_with_red_stations"] == 1 and mine["service_kinds"] == 2
    assert mine["community_workers"] == 3 and mine["five_duty_kinds"] == 2
    district = {f.key: f.value for f in seed_figures(people["leader"])}
    assert district["community_workers"] == 4 and district["five_duty_kinds"] == 3
    # the roster's figures only for those who may read the roster
    assert "community_workers" not in {f.key for f in seed_figures(people["grid"])}
    assert seed_figures(people["dept"]) == []
