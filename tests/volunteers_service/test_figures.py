"""The seed report's volunteer figures, computed from the seeded district."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from volunteers import demo_service
from volunteers.figures import service_figures
from volunteers.models import Activity, PointsEntry, Volunteer, WishState

pytestmark = pytest.mark.django_db


def test_each_volunteer_figure_matches_the_seed_and_links_to_its_rows(settings, client):
    # given: the demo district
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    admin = User.objects.get(username="district_admin")
    # when
    figures = {f.key: f for f in service_figures(admin)}
    # then: the report's numbers (500+, 270+, 120+ as the demo's exact counts)
    assert {k: f.value for k, f in figures.items()} == {
        "grid_volunteer_teams": 24,
        "volunteers": 170,
        "volunteer_activities": demo_service.PLAIN_ACTIVITIES + demo_service.BRAND_ACTIVITIES,
        "brand_activities": demo_service.BRAND_ACTIVITIES,
        "talks": 126,
        "talk_attendances": 2750,
        "station_activities": demo_service.STATION_ACTIVITIES,
    }
    assert figures["volunteer_activities"].value >= figures["volunteer_activities"].seed == 500
    assert figures["brand_activities"].value >= 270 and figures["station_activities"].value >= 120
    assert Activity.objects.filter(kind="station").values("station").distinct().count() == 28
    # every volunteer's hours and points are the sums of their rows
    for volunteer in Volunteer.objects.all()[:40]:
        approved = sum(a.hours for a in volunteer.attendances.filter(state="approved"))
        assert volunteer.hours == approved
        last = PointsEntry.objects.filter(volunteer=volunteer).order_by("-id").first()
        assert volunteer.points == (last.balance if last else 0)
    assert Volunteer.objects.filter(hours__gte=300).exists()  # two-star volunteers
    states = set(demo_service.Wish.objects.values_list("state", flat=True))
    assert states == set(WishState.values) - {WishState.REJECTED}
    # the overview at /volunteers/ and the service home show each as a link whose rows count
    client.force_login(admin)
    overview = client.get("/volunteers/").content.decode()
    for figure in figures.values():
        assert f'href="{figure.drill}"'.replace("&", "&amp;") in overview
    for key in ("grid_volunteer_teams", "volunteers", "brand_activities", "talks"):
        drill = client.get(figures[key].drill)
        assert drill.context["page"].paginator.count == figures[key].value, key
    talks = client.get(figures["talk_attendances"].drill).context["page"].paginator.object_list
    assert sum(a.attendance_count for a in talks) == 2750
    stations = client.get(figures["station_activities"].drill)
    assert stations.context["page"].paginator.count == figures["station_activities"].value
    both = client.get(figures["volunteer_activities"].drill)
    assert both.context["page"].paginator.count == figures["volunteer_activities"].value
    # the stats API carries them
    api = client.get("/api/v1/stats/seed-figures/").json()
    keys = {f["key"]: f["value"] for f in api["figures"]}
    assert keys["talk_attendances"] == 2750 and keys["grid_volunteer_teams"] == 24
    # a second run adds nothing
    demo_service.seed(lambda line: None)
    assert {f.key: f.value for f in service_figures(admin)} == {
        k: f.value for k, f in figures.items()
    }
    # the pilot community's staff see their part
    mine = {f.key: f.value for f in service_figures(User.objects.get(username="community_staff"))}
    assert 0 < mine["grid_volunteer_teams"] < 24 and mine["brand_activities"] == 272
