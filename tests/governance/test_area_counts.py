"""The area page's figures for a district or a street (governance.counts): counted once and
kept, shared only by actors who see the whole subtree, recounted when a row is added."""

import pytest
from django.core.cache import cache

from accounts.roles import Role
from governance import selectors
from governance.counts import area_counts, area_coverage
from tests.governance import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_a_districts_figures_are_those_counted_live_and_follow_a_new_row(
    people, tree, make_user, client
):
    leader = make_user(Role.DISTRICT_LEADER)
    district = tree["district"]
    live = selectors.subtree_counts(actor=leader, area=district)
    assert area_counts(actor=leader, area=district) == live
    assert area_counts(actor=leader, area=district) == live  # from the cache now
    assert area_coverage(district) == selectors.coverage_for(district)
    # when a household is added anywhere, the district's count has it at once
    f.household(tree["building"], room="909")
    client.force_login(leader)
    page = client.get(f"/governance/areas/{district.pk}/").content.decode()
    assert area_counts(actor=leader, area=district)["households"] == live["households"] + 1
    assert f"<dd>{live['households'] + 1}</dd>" in page


def test_an_actor_who_sees_part_of_the_subtree_never_gets_the_shared_figures(
    people, tree, make_user
):
    leader, staff = make_user(Role.DISTRICT_LEADER), make_user(Role.COMMUNITY_STAFF)
    street = tree["street"]
    elsewhere = f.area(
        f.area(f.area(street, "community", "丙社区"), "residential_area"), "building"
    )
    f.household(elsewhere, room="1")  # in the street, not in the staff's community
    everything = area_counts(actor=leader, area=street)  # kept for the street
    part = area_counts(actor=staff, area=street)
    assert part == selectors.subtree_counts(actor=staff, area=street)
    assert part["households"] < everything["households"]
