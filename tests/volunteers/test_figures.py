"""The seed report's 双报到 figures, computed from the seeded district."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from volunteers import demo
from volunteers.figures import seed_figures
from volunteers.models import CoBuildProject, ProjectState

pytestmark = pytest.mark.django_db


def test_the_seed_figures_match_the_report_and_the_seed_is_idempotent(settings, client):
    # given: the demo district
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    # when
    figures = {f.key: f for f in seed_figures(User.objects.get(username="district_admin"))}
    # then
    assert figures["departments_checked_in"].value == 27
    assert figures["communities_with_checkins"].value == 15
    assert figures["cobuild_projects"].value == 40
    assert figures["campaign_people"].value >= 1700
    states = set(CoBuildProject.objects.values_list("state", flat=True))
    assert states == set(ProjectState.values)
    # a second run adds nothing
    demo.seed(lambda line: None)
    again = {f.key: f.value for f in seed_figures(User.objects.get(username="district_admin"))}
    assert again == {key: f.value for key, f in figures.items()}
    # the overview shows each figure as a link to its rows, and the links answer
    client.force_login(User.objects.get(username="district_admin"))
    page = client.get("/volunteers/").content.decode()
    for figure in figures.values():
        assert f'href="{figure.drill}"'.replace("&", "&amp;") in page
        assert client.get(figure.drill).status_code == 200
    # the pilot community's staff see their part; the liaison their unit's
    community = {f.key: f.value for f in seed_figures(User.objects.get(username="community_staff"))}
    assert community["communities_with_checkins"] == 1
    assert 0 < community["cobuild_projects"] < 40
    liaison = {f.key: f.value for f in seed_figures(User.objects.get(username="dept_liaison"))}
    assert liaison["departments_checked_in"] == 1
