"""Every edit form of the portal keeps what it does not change: the page is loaded, its form
submitted exactly as a browser would send it untouched, and the stored object compared. A date
rendered as ``2026/12/02`` (which ``<input type=date>`` shows empty and submits as "") failed
this for a station's 启用日期, a resident's 出生日期 and a worker's 入职日期."""

import re
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.roles import Role
from grids import services as grid_services
from grids.models import FiveDuty, StationKind
from property_mgmt.models import CompanyProfile, EstateProfile
from property_mgmt.services import companies as company_services
from property_mgmt.services import estate_profile_save
from tests.governance.factories import building_in, household, id_number, resident
from tests.grids.factories import grid, worker
from tests.supports.factories import centre

pytestmark = pytest.mark.django_db

#: What a browser keeps of a value attribute (HTML's value sanitization): anything else is
#: shown, and submitted, as empty.
BROWSER_ACCEPTS = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "time": re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?"),
    "datetime-local": re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"),
}

#: Stamped by the save itself (or a version counter), not by the user.
MOVING = {"updated_at", "modified_at", "version"}


class _Forms(HTMLParser):
    """The page's POST forms as a browser submits them: text and hidden inputs, checked boxes,
    selected options (the first when none is marked), textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "method": a.get("method", "get"), "data": []}
            )
            return
        if tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
            return
        if not self.forms or "name" not in a:
            return
        data = self.forms[-1]["data"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            value = a.get("value", "on" if kind == "checkbox" else "")
            if kind in BROWSER_ACCEPTS and not BROWSER_ACCEPTS[kind].fullmatch(value):
                value = ""
            data.append((a["name"], value))
        elif tag == "select":
            self._select, self._options = a["name"], []
            self.forms[-1].setdefault("multiple", set())
            if "multiple" in a:
                self.forms[-1]["multiple"].add(a["name"])
        elif tag == "textarea":
            self._textarea = a["name"]
            data.append((a["name"], ""))

    def handle_data(self, text: str) -> None:
        if self._textarea is not None and self.forms:
            name, value = self.forms[-1]["data"][-1]
            self.forms[-1]["data"][-1] = (name, value + text)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            name, value = self.forms[-1]["data"][-1]
            # Django renders a newline after <textarea>, which the browser drops.
            self.forms[-1]["data"][-1] = (name, value[1:] if value.startswith("\n") else value)
            self._textarea = None
        if tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected]
            if not chosen and self._options and self._select not in self.forms[-1]["multiple"]:
                chosen = [self._options[0][0]]
            self.forms[-1]["data"].extend((self._select, v) for v in chosen)
            self._select = None


def submit_untouched(client: Any, url: str, field: str) -> Any:
    """GET the page, POST the form holding ``field`` back unchanged; the response."""
    page = client.get(url)
    assert page.status_code == 200, url
    parser = _Forms()
    parser.feed(page.content.decode())
    form = next(
        f
        for f in parser.forms
        if f["method"].lower() == "post" and any(name == field for name, _ in f["data"])
    )
    payload: dict[str, list[str]] = {}
    for name, value in form["data"]:
        payload.setdefault(name, []).append(value)
    assert payload[field] != [""], f"{field} is shown empty"
    return client.post(form["action"] or url, payload)


def snapshot(obj: models.Model) -> dict[str, Any]:
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    return {
        f.attname: getattr(fresh, f.attname)
        for f in fresh._meta.concrete_fields
        if f.attname not in MOVING
    }


def _station(ctx: dict[str, Any]) -> tuple[Any, str, str]:
    target = grid(ctx["tree"]["community"])
    station = grid_services.station_create(
        actor=None,
        grid=target,
        kind=StationKind.RED_STATION,
        name="运河红色驿站",
        residential_area=ctx["tree"]["estate"],
        address="运河路1号",
        longitude=117.1,
        latitude=36.6,
        opening_hours="9:00-17:00",
        services=[],
        opened_on=date(2024, 12, 2),
        is_active=True,
    )
    return station, f"/grids/stations/{station.pk}/edit/", "opened_on"


def _worker(ctx: dict[str, Any]) -> tuple[Any, str, str]:
    person = worker(
        ctx["tree"]["community"],
        hired_on=date(2019, 3, 4),
        duty=FiveDuty.choices[0][0],
        is_party_member=True,
        note="老社工",
    )
    return person, f"/grids/workers/{person.pk}/edit/", "hired_on"


def _grid(ctx: dict[str, Any]) -> tuple[Any, str, str]:
    target = grid(ctx["tree"]["community"])
    return target, f"/grids/{target.pk}/edit/", "name"


def _resident(ctx: dict[str, Any]) -> tuple[Any, str, str]:
    home = household(building_in(ctx["tree"]["estate"]), room="101")
    person = resident(home, name="王秀英", id_number=id_number(date(1948, 12, 2), male=False))
    type(person).objects.filter(pk=person.pk).update(birth_date=date(1948, 12, 2), gender="F")
    return person, f"/governance/residents/{person.pk}/", "birth_date"


def _centre(ctx: dict[str, Any]) -> tuple[Any, str, str]:
    place = centre(ctx["tree"]["community"], opened_on=date(2021, 7, 1))
    return place, f"/supports/centres/{place.pk}/edit/", "opened_on"


def _estate(ctx: dict[str, Any]) -> tuple[Any, str, str]:
    estate = ctx["tree"]["estate"]
    estate_profile_save(
        actor=None,
        area=estate,
        competent_department=None,
        is_old_estate=True,
        built_year=1998,
        note="老旧小区改造",
    )
    return (
        EstateProfile.objects.get(area=estate),
        f"/property/estates/{estate.pk}/",
        "built_year",
    )


def _company(ctx: dict[str, Any]) -> tuple[Any, str, str]:
    company = ctx["company"]
    profile = company_services.profile_of(company)
    CompanyProfile.objects.filter(pk=profile.pk).update(
        legal_representative="张经理",
        address="运河路8号",
        is_red_pilot=True,
        red_pilot_since=date(2025, 3, 1),
    )
    return profile, f"/property/companies/{company.pk}/", "red_pilot_since"


#: (name, builder, the role that edits it). A new edit page belongs here (see the URL walk below).
EDIT_FORMS: list[tuple[str, Callable[[dict[str, Any]], tuple[Any, str, str]], str]] = [
    ("grids:station_edit", _station, Role.COMMUNITY_STAFF),
    ("grids:worker_edit", _worker, Role.COMMUNITY_STAFF),
    ("grids:grid_edit", _grid, Role.COMMUNITY_STAFF),
    ("governance:resident_detail", _resident, Role.COMMUNITY_STAFF),
    ("supports:centre_edit", _centre, Role.COMMUNITY_STAFF),
    ("property_mgmt:estate_edit", _estate, Role.COMMUNITY_STAFF),
    ("property_mgmt:company_detail", _company, Role.DISTRICT_ADMIN),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("name", "build", "role"), EDIT_FORMS, ids=[e[0] for e in EDIT_FORMS])
def test_an_untouched_edit_form_changes_nothing(
    client, make_user, tree, company, name, build, role, language
):
    # given an object with its dates filled in
    obj, url, field = build({"tree": tree, "company": company})
    client.force_login(make_user(role))
    client.cookies["django_language"] = language
    before = snapshot(obj)
    # when its edit form (the stored date shown) is submitted as the browser shows it
    response = submit_untouched(client, url, field)
    # then it saved (a redirect) and nothing changed
    assert response.status_code == 302, response.content.decode()[:3000]
    assert snapshot(obj) == before


def _names(patterns: list[Any], prefix: str = "") -> list[str]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found += _names(entry.url_patterns, space)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append(prefix + entry.name)
    return found


def test_every_edit_page_of_the_url_conf_is_in_the_round_trip():
    apps = ("governance", "grids", "cases", "volunteers", "property_mgmt", "supports")
    edits = {
        n
        for n in _names(get_resolver().url_patterns)
        if n.split(":")[0] in apps and n.endswith(("_edit", "_update", "_change"))
    }
    assert edits <= {e[0] for e in EDIT_FORMS}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_new_visit_form_shows_todays_date(client, make_user, tree, language):
    grid(tree["community"])
    client.force_login(make_user(Role.GRID_WORKER))
    client.cookies["django_language"] = language
    parser = _Forms()
    parser.feed(client.get("/grids/visits/new/").content.decode())
    fields = dict(next(f["data"] for f in parser.forms if "visited_on" in dict(f["data"])))
    assert fields["visited_on"] == timezone.localdate().isoformat()
