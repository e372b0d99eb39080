"""A case stores its area path, street and community; moving an area carries them along."""

import pytest

from cases import selectors
from governance.services import area_move

pytestmark = pytest.mark.django_db


def test_moving_a_residential_area_moves_its_cases_to_the_new_community_and_street(
    new_case, people, tree
):
    case = new_case("building")
    assert [c.pk for c in selectors.case_list(actor=people["community"])] == [case.pk]

    area_move(actor=people["admin"], area=tree["estate"], new_parent=tree["other_community"])

    case.refresh_from_db()
    tree["building"].refresh_from_db()
    assert case.area_path == tree["building"].path
    assert case.community_id == tree["other_community"].pk
    assert case.street_id == tree["other_street"].pk
    assert list(selectors.case_list(actor=people["community"])) == []
    assert [c.pk for c in selectors.case_list(actor=people["other_community"])] == [case.pk]
    assert [c.pk for c in selectors.case_list(actor=people["other_street"])] == [case.pk]


def test_moving_a_community_to_another_street_keeps_its_cases_community(new_case, people, tree):
    case = new_case("estate")

    area_move(actor=people["admin"], area=tree["community"], new_parent=tree["other_street"])

    case.refresh_from_db()
    assert case.community_id == tree["community"].pk
    assert case.street_id == tree["other_street"].pk
    assert [c.pk for c in selectors.case_list(actor=people["other_street"])] == [case.pk]
    assert list(selectors.case_list(actor=people["street"])) == []
