"""The one place chooser (governance.widgets.PlaceChoiceField): the id its script picked is
taken when it matches the text shown; without the script, typed text is looked up among the
field's own choices; a namesake or an out-of-scope place is never taken silently."""

import pytest
from django import forms

from accounts.roles import Role
from governance.models import Area, AreaLevel
from governance.widgets import PlaceChoiceField
from tests.governance.factories import area

pytestmark = pytest.mark.django_db


def chooser(actor, levels=("residential_area", "building")):
    class PlaceForm(forms.Form):
        place = PlaceChoiceField(label="位置", kind="estate_building", queryset=Area.objects.none())

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["place"].for_actor(  # type: ignore[attr-defined]
                actor, Area.objects.visible_to(actor).filter(level__in=levels)
            )

    return PlaceForm


def test_the_picked_id_is_taken_when_the_text_is_its_label(make_user, tree):
    staff = make_user(Role.COMMUNITY_STAFF)
    form = chooser(staff)({"place": tree["building"].pk, "place_text": "甲小区 / 1号楼"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["place"] == tree["building"]


def test_typed_text_without_the_script_finds_the_one_place_it_names(make_user, tree):
    area(tree["estate"], AreaLevel.BUILDING, "2号楼")
    staff = make_user(Role.COMMUNITY_STAFF)
    form = chooser(staff)({"place": "", "place_text": "甲小区 2号楼"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["place"].name == "2号楼"


def test_a_stale_id_gives_way_to_the_text_typed_over_it(make_user, tree):
    second = area(tree["estate"], AreaLevel.BUILDING, "2号楼")
    staff = make_user(Role.COMMUNITY_STAFF)
    # no script: the hidden id still holds 1号楼 but the worker typed 2号楼
    form = chooser(staff)({"place": tree["building"].pk, "place_text": "2号楼"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["place"] == second


def test_ambiguous_text_lists_the_candidates_in_full(make_user, tree):
    area(tree["estate"], AreaLevel.BUILDING, "2号楼")
    staff = make_user(Role.COMMUNITY_STAFF)
    form = chooser(staff)({"place": "", "place_text": "号楼"})
    assert not form.is_valid()
    message = form.errors["place"][0]
    assert "甲小区 / 1号楼" in message and "甲小区 / 2号楼" in message


def test_a_place_outside_the_scope_is_not_found_by_name_nor_by_id(make_user, tree):
    theirs = area(tree["other_estate"], AreaLevel.BUILDING, "9号楼")
    staff = make_user(Role.COMMUNITY_STAFF)
    by_name = chooser(staff)({"place": "", "place_text": "乙小区 9号楼"})
    assert not by_name.is_valid() and "没有找到" in by_name.errors["place"][0]
    by_id = chooser(staff)({"place": theirs.pk, "place_text": "乙小区 / 9号楼"})
    assert not by_id.is_valid()


def test_the_field_only_offers_its_own_choices(make_user, tree):
    staff = make_user(Role.COMMUNITY_STAFF)
    # a chooser of estates only: the building of that name is not a choice
    form = chooser(staff, levels=("residential_area",))({"place": "", "place_text": "1号楼"})
    assert not form.is_valid()


def test_an_edit_form_shows_the_stored_place_by_name_and_keeps_it(make_user, tree):
    staff = make_user(Role.COMMUNITY_STAFF)
    page = chooser(staff)(initial={"place": tree["building"].pk}).as_p()
    assert 'value="甲小区 / 1号楼"' in page and f'value="{tree["building"].pk}"' in page
    assert 'role="combobox"' in page and 'name="place_text"' in page
    assert "<option" not in page


def test_a_refused_form_shows_what_was_typed(make_user, tree):
    staff = make_user(Role.COMMUNITY_STAFF)
    form = chooser(staff)({"place": "", "place_text": "不存在的楼"})
    assert not form.is_valid()
    assert 'value="不存在的楼"' in form.as_p()


def test_the_search_of_a_chooser_kind_is_scoped(client, make_user, tree):
    area(tree["other_estate"], AreaLevel.BUILDING, "1号楼")
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    body = client.get("/governance/places/", {"kind": "estate_building", "q": "1号楼"}).json()
    assert [r["label"] for r in body["results"]] == ["甲小区 / 1号楼"]
    assert client.get("/governance/places/", {"kind": "nonsense"}).status_code == 400


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/cases/new/", "place"),
        ("/grids/visits/new/", "household"),
        ("/grids/stations/new/", "estate"),
        ("/property/complaints/new/", "estate_building"),
        ("/property/disputes/new/", "estate_building"),
        ("grid", "estate_building"),
    ],
)
def test_the_place_choosers_search_instead_of_listing_every_place(
    client, make_user, tree, url, kind
):
    from tests.grids.factories import grid

    target = grid(tree["community"])
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    page = client.get(f"/grids/{target.pk}/" if url == "grid" else url).content.decode()
    assert f'data-autocomplete-url="/governance/places/?kind={kind}"' in page
    assert ">甲小区</option>" not in page and ">甲小区 / 1号楼</option>" not in page
