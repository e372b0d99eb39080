"""Every edit form of the portal keeps what it does not change: the page is loaded, its form
submitted exactly as a browser would send it untouched, and the stored object compared. A date
rendered as ``2026/12/02`` (which ``<input type=date>`` shows empty and submits as "") failed
this for a station's 启用日期, a resident's 出生日期 and a worker's 入职日期.

The same holds for the forms pre-filled on detail pages (a resident, a company, an applicant's
scores, a problem's linked case), for the back office's change forms of versioned rows, and for
every date, time and datetime input of every form: what it shows, the browser keeps and the
form reads back as the same value."""

import ast
import inspect
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.contrib.messages import ERROR, get_messages
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from accounts.roles import Role
from common.admin import VersionedAdminMixin
from governance.models import MemberStatus, NeedStatus, VulnerableTag
from grids import services as grid_services
from grids.models import FiveDuty, GridCoverage, GridStaffing, StationKind
from property_mgmt.models import CompanyProfile, EstateProfile
from property_mgmt.services import companies as company_services
from property_mgmt.services import estate_profile_save
from supports.services import careers
from supports.services import studio as studio_services
from tests.cases.factories import category, report
from tests.governance.factories import (
    building_in,
    household,
    id_number,
    member,
    need,
    org,
    resident,
)
from tests.grids.factories import grid, square, staff_fully, worker
from tests.supports.factories import centre, problem, round_
from volunteers.models import Activity, ActivityKind

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en"]
#: The apps whose pages the round trip covers.
APPS = ("governance", "grids", "cases", "volunteers", "property_mgmt", "supports")

#: What a browser keeps of a value attribute (HTML's value sanitization): anything else is
#: shown, and submitted, as empty.
BROWSER_ACCEPTS = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "time": re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?"),
    # HTML also takes a space for the T, which browsers have not all normalised; the portal's
    # widgets render the T.
    "datetime-local": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?"),
    "number": re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?"),
}

#: Stamped by the save itself (or a version counter), not by the user.
MOVING = {"updated_at", "modified_at", "version"}


class _Forms(HTMLParser):
    """The page's POST forms as a browser submits them: text and hidden inputs, checked boxes,
    selected options (the first when none is marked), textareas; never a disabled control."""

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
        if not self.forms or "name" not in a or "disabled" in a:
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


def form_holding(page: Any, field: str) -> tuple[str, dict[str, list[str]]]:
    """The action and the data a browser would post of the page's POST form holding ``field``."""
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
    return form["action"], payload


def submit_untouched(client: Any, url: str, field: str) -> Any:
    """GET the page, POST the form holding ``field`` back unchanged; the response."""
    page = client.get(url)
    assert page.status_code == 200, url
    action, payload = form_holding(page, field)
    assert payload[field] != [""], f"{field} is shown empty"
    return client.post(action or url, payload)


def refusals(response: Any) -> list[str]:
    """The error messages the response left (a detail page's form redirects back either way)."""
    return [str(m) for m in get_messages(response.wsgi_request) if m.level >= ERROR]


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


def _applicant(ctx: dict[str, Any]) -> tuple[Any, str, str]:
    community = ctx["tree"]["community"]
    careers.quota_set(actor=None, community=community, post="staff", quota=3)
    batch = round_()
    position = careers.position_add(
        actor=None, round=batch, community=community, post="staff", openings=1
    )
    person = careers.applicant_add(
        actor=None,
        position=position,
        name="刘晓梅",
        gender="F",
        id_number=id_number(male=False),
        education="bachelor",
        phone="13800001234",
    )
    careers.round_advance(actor=None, round=batch, state="examining")
    careers.applicant_score(
        actor=None,
        applicant=person,
        written_score=Decimal("85.50"),
        interview_score=Decimal("90.25"),
    )
    return person, f"/supports/careers/applicants/{person.pk}/", "written_score"


def _problem(ctx: dict[str, Any]) -> tuple[Any, str, str]:
    community = ctx["tree"]["community"]
    case = report(ctx["make_user"](Role.GRID_WORKER), ctx["tree"]["building"], category())
    item = problem(community)
    studio_services.problem_link_case(actor=None, problem=item, case=case)
    return item, f"/supports/studio/problems/{item.pk}/", "case"


#: (name, builder, the role that edits it). A new edit page belongs here (see the URL walk below),
#: and so does a detail page with a form pre-filled with what is stored.
EDIT_FORMS: list[tuple[str, Callable[[dict[str, Any]], tuple[Any, str, str]], str]] = [
    ("grids:station_edit", _station, Role.COMMUNITY_STAFF),
    ("grids:worker_edit", _worker, Role.COMMUNITY_STAFF),
    ("grids:grid_edit", _grid, Role.COMMUNITY_STAFF),
    ("governance:resident_detail", _resident, Role.COMMUNITY_STAFF),
    ("supports:centre_edit", _centre, Role.COMMUNITY_STAFF),
    ("property_mgmt:estate_edit", _estate, Role.COMMUNITY_STAFF),
    ("property_mgmt:company_detail", _company, Role.DISTRICT_ADMIN),
    ("supports:applicant_detail", _applicant, Role.STREET_STAFF),
    ("supports:problem_detail", _problem, Role.COMMUNITY_STAFF),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "build", "role"), EDIT_FORMS, ids=[e[0] for e in EDIT_FORMS])
def test_an_untouched_edit_form_changes_nothing(
    client, make_user, tree, company, name, build, role, language
):
    # given an object with its dates (scores, links) filled in
    obj, url, field = build({"tree": tree, "company": company, "make_user": make_user})
    client.force_login(make_user(role))
    client.cookies["django_language"] = language
    before = snapshot(obj)
    # when its edit form (the stored values shown) is submitted as the browser shows it
    response = submit_untouched(client, url, field)
    # then it saved (a redirect, and no refusal on the page it leads to) and nothing changed
    assert response.status_code == 302, response.content.decode()[:3000]
    assert refusals(response) == []
    assert snapshot(obj) == before


# --- The back office --------------------------------------------------------------------------


def _household(tree: dict[str, Any]) -> tuple[models.Model, list[models.Model]]:
    home = household(tree["building"], room="101")
    type(home).objects.filter(pk=home.pk).update(head_name="王建国", note="老住户")
    return home, []


def _resident_row(tree: dict[str, Any]) -> tuple[models.Model, list[models.Model]]:
    person = resident(
        household(tree["building"], room="102"),
        name="王秀英",
        id_number=id_number(date(1948, 12, 2), male=False),
    )
    type(person).objects.filter(pk=person.pk).update(
        birth_date=date(1948, 12, 2), gender="F", tags=[VulnerableTag.LIVING_ALONE]
    )
    return person, []


def _party_member(tree: dict[str, Any]) -> tuple[models.Model, list[models.Model]]:
    person = member(org(tree["community"]), name="李卫东", home=household(tree["building"]))
    type(person).objects.filter(pk=person.pk).update(
        birth_date=date(1956, 7, 1),
        joined_on=date(1980, 7, 1),
        status=MemberStatus.PROBATIONARY,
        employer="运河机械厂",
    )
    return person, []


def _need(tree: dict[str, Any]) -> tuple[models.Model, list[models.Model]]:
    row = need(household(tree["building"]))
    type(row).objects.filter(pk=row.pk).update(
        status=NeedStatus.DONE,
        taken_by="社区物业",
        result="已更换灯泡",
        raised_on=date(2025, 11, 3),
        taken_on=date(2025, 11, 4),
        done_on=date(2025, 11, 6),
    )
    return row, []


def _grid_row(tree: dict[str, Any]) -> tuple[models.Model, list[models.Model]]:
    target = grid(tree["community"], boundary=square(117.1, 36.6), note="沿河片区")
    grid_services.grid_cover_area(actor=None, grid=target, area=tree["estate"])
    staff_fully(target)
    rows = [*GridCoverage.objects.filter(grid=target), *GridStaffing.objects.filter(grid=target)]
    return target, rows


#: (app_label.model_name, builder of the row and of the rows its inlines show).
ADMIN_FORMS: list[tuple[str, Callable[[dict[str, Any]], tuple[models.Model, list[Any]]]]] = [
    ("governance.household", _household),
    ("governance.resident", _resident_row),
    ("governance.partymember", _party_member),
    ("governance.needsledger", _need),
    ("grids.grid", _grid_row),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("model", "build"), ADMIN_FORMS, ids=[e[0] for e in ADMIN_FORMS])
def test_an_untouched_back_office_change_form_changes_nothing_but_the_version(
    client, make_user, tree, model, build, language
):
    # given a versioned row (with the rows its inlines list), and the one who may change it in
    # the back office: a superuser (the ledgers' and grids' admins give others view only),
    # signed in with the second factor verified (tests/conftest.py)
    obj, related = build(tree)
    client.force_login(make_user(Role.DISTRICT_ADMIN, is_staff=True, is_superuser=True))
    client.cookies["django_language"] = language
    before, version = snapshot(obj), type(obj)._default_manager.get(pk=obj.pk).version
    rows_before = [snapshot(row) for row in related]
    # when its change form is saved as the browser shows it
    app_label, model_name = model.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    response = submit_untouched(client, url, "seen_version")
    # then it saved, nothing changed, and the version moved by the one save (VersionedAdminMixin:
    # every save is save_versioned, so an edit page opened before is told someone saved)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert snapshot(obj) == before
    assert type(obj)._default_manager.get(pk=obj.pk).version == version + 1
    assert [snapshot(row) for row in related] == rows_before


def test_every_versioned_back_office_form_is_in_the_round_trip():
    versioned = {
        f"{model._meta.app_label}.{model._meta.model_name}"
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, VersionedAdminMixin)
    }
    assert versioned and versioned <= {e[0] for e in ADMIN_FORMS}


# --- Dates, times and datetimes -----------------------------------------------------------------

#: Stored values as the forms take them in (to the minute). 07:05 in Shanghai is the day before
#: in UTC, so a datetime shown in UTC shows the wrong day.
STORED: dict[type[forms.Field], Any] = {
    forms.DateField: date(2026, 12, 2),
    forms.TimeField: time(7, 5),
    forms.DateTimeField: timezone.make_aware(datetime(2026, 12, 2, 7, 5)),
}


def _subclasses(cls: type[Any]) -> Iterator[type[Any]]:
    subs: list[type[Any]] = cls.__subclasses__()
    for sub in subs:
        yield sub
        yield from _subclasses(sub)


def _temporal_fields() -> list[tuple[str, str, forms.Field]]:
    """Every date, time and datetime field of the portal's forms (the URL conf imports them)."""
    get_resolver().url_patterns  # noqa: B018 - imports every view, and so every form
    found: list[tuple[str, str, forms.Field]] = []
    for form in set(_subclasses(forms.BaseForm)):
        if form.__module__.split(".")[0] not in (*APPS, "accounts", "dashboards", "common"):
            continue
        fields: dict[str, forms.Field] = getattr(form, "base_fields", {})
        for name, field in fields.items():
            if any(isinstance(field, kind) for kind in STORED):
                found.append((f"{form.__module__}.{form.__qualname__}", name, field))
    return sorted(found, key=lambda entry: entry[:2])


def _stored_value(field: forms.Field) -> Any:
    kind = next(kind for kind in STORED if isinstance(field, kind))
    value = STORED[kind]
    if getattr(field.widget, "input_type", "") == "month":
        return value.replace(day=1)  # a month field stores the month's first day
    return value


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_date_time_and_datetime_input_reads_back_what_it_shows(language):
    # given every date, time and datetime field of the portal's forms, filled with a stored value
    fields = _temporal_fields()
    assert {"volunteers.forms.ShiftForm", "supports.forms.BookingForm"} <= {f for f, *_ in fields}
    lost = []
    with translation.override(language):
        for form, name, field in fields:
            stored = _stored_value(field)
            # when it is rendered as its page renders it and posted back by a browser
            html = field.widget.render(name, field.prepare_value(stored))
            parser = _Forms()
            parser.feed(f'<form method="post">{html}</form>')
            sent = dict(parser.forms[0]["data"]).get(name, "")
            # then the form reads the same value back
            try:
                read = field.clean(sent)
            except forms.ValidationError:
                read = None
            if read != stored:
                lost.append(f"{form}.{name}: {stored!r} shown as {html!r}, read back {read!r}")
    assert lost == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_new_activity_shows_its_times_again_and_saves_them_as_typed(
    client, make_user, tree, language
):
    # given the new-activity form filled in as a browser sends it, but without a place
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    client.cookies["django_language"] = language
    url = reverse("volunteers:activity_new")
    day = timezone.localdate() + timedelta(days=7)
    _action, blank = form_holding(client.get(url), "starts_at")
    typed = {
        "community": [str(tree["community"].pk)],
        "title": ["敬老助餐"],
        "kind": [ActivityKind.VOLUNTEER],
        "starts_at": [f"{day.isoformat()}T07:05"],
        "ends_at": [f"{day.isoformat()}T09:30"],
        "place": [""],
    }
    # when it is refused (the place is missing)
    refused = client.post(url, {**blank, **typed})
    assert refused.status_code == 200
    assert not Activity.objects.exists()
    # then the page shows both times as typed, in a form the browser keeps
    _action, shown = form_holding(refused, "starts_at")
    assert (shown["starts_at"], shown["ends_at"]) == (typed["starts_at"], typed["ends_at"])
    # and the form sent again as shown, with the place added, saves the times typed
    assert client.post(url, {**shown, "place": ["社区活动室"]}).status_code == 302
    saved = Activity.objects.get(title="敬老助餐")
    assert (saved.starts_at, saved.ends_at) == (
        timezone.make_aware(datetime.combine(day, time(7, 5))),
        timezone.make_aware(datetime.combine(day, time(9, 30))),
    )


# --- The URL conf -------------------------------------------------------------------------------


def _patterns(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry.url_patterns, space)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry.callback


def _names(patterns: list[Any], prefix: str = "") -> list[str]:
    return [name for name, _view in _patterns(patterns, prefix)]


def test_every_edit_page_of_the_url_conf_is_in_the_round_trip():
    edits = {
        n
        for n in _names(get_resolver().url_patterns)
        if n.split(":")[0] in APPS and n.endswith(("_edit", "_update", "_change"))
    }
    assert edits <= {e[0] for e in EDIT_FORMS}


def _form_class(node: ast.expr, names: dict[str, Any]) -> Any:
    """The form class a call's ``forms.ScoreForm`` or ``ScoreForm`` names, if it is one."""
    path: list[str] = []
    while isinstance(node, ast.Attribute):
        path.insert(0, node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in names:
        return None
    found = names[node.id]
    for attr in path:
        found = getattr(found, attr, None)
    return found if isinstance(found, type) and issubclass(found, forms.BaseForm) else None


def _copies_stored(initial: ast.expr, form: Any, loops: set[str]) -> bool:
    """``initial`` copies one object's stored fields into the form: ``{f: getattr(obj, f) for
    f in …}``, or ``{"name": obj.name, "case": obj.case_id, …}`` giving every required field.
    A default (today, the query string's area, an action's name, the grade a change starts
    from) is not a copy."""
    for node in ast.walk(initial):
        if isinstance(node, ast.DictComp) and isinstance(node.value, ast.Call):
            call = node.value
            if (
                isinstance(call.func, ast.Name)
                and call.func.id == "getattr"
                and ast.dump(call.args[1]) == ast.dump(node.key)
            ):
                return True
        if isinstance(node, ast.Dict) and node.keys and form is not None:
            keys, owners = [], set()
            for key, value in zip(node.keys, node.values, strict=True):
                if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                    break
                if not isinstance(value, ast.Attribute):
                    break
                if not isinstance(value.value, ast.Name) or value.value.id in loops:
                    break
                if value.attr not in (key.value, f"{key.value}_id"):
                    break
                keys.append(key.value)
                owners.add(value.value.id)
            else:
                required = {n for n, f in form.base_fields.items() if f.required}
                if len(owners) == 1 and required <= set(keys):
                    return True
    return False


def _prefills(view: Any) -> bool:
    """Whether the view (or the page class) renders a form pre-filled from a stored object."""
    code = getattr(view, "view_class", None) or inspect.unwrap(view)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(code)))
    except (OSError, TypeError):
        return False
    names = vars(sys.modules[code.__module__])
    loops = {
        n.id
        for node in ast.walk(tree)
        if isinstance(node, ast.For | ast.comprehension)
        for n in ast.walk(node.target)
        if isinstance(n, ast.Name)
    }
    assigned = {
        target.id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
        for keyword in call.keywords:
            initial = keyword.value if keyword.arg == "initial" else None
            if isinstance(initial, ast.Name):
                initial = assigned.get(initial.id)
            if initial is not None and _copies_stored(
                initial, _form_class(call.func, names), loops
            ):
                return True
    return False


def test_every_page_with_a_form_prefilled_from_what_is_stored_is_in_the_round_trip():
    """Edit forms live on detail pages too (a resident, a company, an applicant's scores); a
    page whose view fills a form's ``initial`` from a stored object's fields is one."""
    prefilled = {
        name
        for name, view in _patterns(get_resolver().url_patterns)
        if name.split(":")[0] in APPS and _prefills(view)
    }
    # the walk finds the detail pages it is meant to (a walk finding nothing would pass)
    assert {"governance:resident_detail", "supports:applicant_detail", "grids:grid_edit"} <= (
        prefilled
    )
    assert prefilled <= {e[0] for e in EDIT_FORMS}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_new_visit_form_shows_todays_date(client, make_user, tree, language):
    grid(tree["community"])
    client.force_login(make_user(Role.GRID_WORKER))
    client.cookies["django_language"] = language
    parser = _Forms()
    parser.feed(client.get("/grids/visits/new/").content.decode())
    fields = dict(next(f["data"] for f in parser.forms if "visited_on" in dict(f["data"])))
    assert fields["visited_on"] == timezone.localdate().isoformat()
