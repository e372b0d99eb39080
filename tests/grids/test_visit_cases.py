"""Visits and the cases their problems open: every problem is a case reported through the case
service, in the visit's transaction; "solved" is the case being closed."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Role
from cases import policies as case_policies
from cases.models import Case, CaseEvent, CaseSource, CaseState, Satisfaction
from cases.services import case_handle, case_rate, case_reopen, case_verify
from governance.models import NeedsLedger
from grids import selectors, services
from grids.models import Visit, VisitProblem
from tests.cases.factories import category, report

from .factories import grid, household, problem_category, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def covered(tree):
    """A grid of the first community covering its residential area."""
    target = grid(tree["community"], name="东网格", boundary=square(117.73, 34.56))
    services.grid_cover_area(actor=None, grid=target, area=tree["estate"])
    return target


def log_visit(worker, target, home, *problems, **extra):
    return services.visit_log(
        actor=worker,
        grid=target,
        household=home,
        visited_on=timezone.localdate(),
        kind="door",
        heard="独居老人，反映楼道问题",
        problems=[(extra.pop("cat", None) or problem_category(), text) for text in problems],
        **extra,
    )


def close(case, actor):
    case_handle(actor=actor, case=case, note="现场处置")
    case_verify(actor=actor, case=case, note="已核查")
    return case_rate(actor=actor, case=case, satisfaction=Satisfaction.SATISFIED)


def figures(actor):
    return selectors.visit_figures(selectors.visit_list(actor=actor))


def test_each_problem_of_a_visit_is_a_case_reported_by_the_grid_worker(make_user, tree, covered):
    worker = make_user(Role.GRID_WORKER)
    home = household(tree["building"], room="301")
    home.head_name = "张大爷"
    home.save()
    # when
    visit = log_visit(worker, covered, home, "楼道灯不亮", "单元门禁损坏")
    # then: one case per problem, on the household's building, reported by the visitor
    problems = list(visit.problems.select_related("case"))
    assert [p.description for p in problems] == ["楼道灯不亮", "单元门禁损坏"]
    cases = [p.case for p in problems]
    assert Case.objects.count() == 2
    for case, problem in zip(cases, problems, strict=True):
        assert case is not None
        assert case.title == problem.description and case.description == problem.description
        assert case.source == CaseSource.VISIT and case.state == CaseState.REPORTED
        assert case.reporter == worker
        assert case.area == tree["building"] and case.area_path == tree["building"].path
        assert case.community == tree["community"] and case.street == tree["street"]
        assert case.contact_name == "张大爷" and "301" in case.address
        event = CaseEvent.objects.get(case=case)
        assert (event.action, event.actor, event.to_state) == ("report", worker, "reported")


def test_a_refused_case_leaves_nothing_of_the_visit(make_user, tree, covered):
    worker = make_user(Role.GRID_WORKER)
    retired = category(name="已停用类别")
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError) as error:
        log_visit(
            worker,
            covered,
            household(tree["building"]),
            "楼道灯不亮",
            cat=retired,
            needs=[("health", "看病难")],
        )
    [message] = error.value.message_dict["problems"]
    assert "未能上报为事件" in message and "请选择一个启用的二级类别" in message
    assert not Visit.objects.exists() and not VisitProblem.objects.exists()
    assert not Case.objects.exists() and not NeedsLedger.objects.exists()


def test_a_case_refused_for_permission_is_shown_on_the_form_and_saves_nothing(
    client, make_user, tree, covered, monkeypatch
):
    worker = make_user(Role.GRID_WORKER)
    client.force_login(worker)
    home = household(tree["building"])
    monkeypatch.setattr(case_policies, "can_report", lambda actor, area_path=None: False)
    response = client.post(
        "/grids/visits/new/",
        {
            "grid": covered.pk,
            "household": home.pk,
            "visited_on": str(timezone.localdate()),
            "kind": "door",
            "heard": "反映问题",
            "problems": "楼道灯不亮",
            "problem_category": problem_category().pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "未能上报为事件" in page and "只能上报本人负责区域内的事件" in page
    assert not Visit.objects.exists() and not Case.objects.exists()


def test_the_form_reports_problems_and_asks_for_their_category(client, make_user, tree, covered):
    client.force_login(make_user(Role.GRID_WORKER))
    home = household(tree["building"])
    form = {
        "grid": covered.pk,
        "household": home.pk,
        "visited_on": str(timezone.localdate()),
        "kind": "door",
        "heard": "反映问题",
        "problems": "楼道灯不亮\n\n垃圾未清运",
    }
    missing = client.post("/grids/visits/new/", form)
    assert "发现问题时请选择事件类别" in missing.content.decode()
    assert not Visit.objects.exists()
    done = client.post(
        "/grids/visits/new/", {**form, "problem_category": problem_category().pk}, follow=True
    )
    page = done.content.decode()
    assert "2 个问题已上报为事件" in page
    for case in Case.objects.all():
        assert f'href="/cases/{case.pk}/"' in page and case.number in page


def test_the_api_logs_a_visit_with_its_cases_and_shows_a_refusal(
    api_for, make_user, tree, covered, monkeypatch
):
    client = api_for(make_user(Role.GRID_WORKER))
    body = {
        "grid": covered.pk,
        "household": household(tree["building"]).pk,
        "visited_on": str(timezone.localdate()),
        "kind": "door",
        "heard": "反映问题",
        "problems": [{"category": problem_category().pk, "description": "楼道灯不亮"}],
    }
    created = client.post("/api/v1/grid-visits/", body, format="json")
    assert created.status_code == 201
    [problem] = created.json()["problem_cases"]
    case = Case.objects.get()
    assert problem["case"] == case.pk and problem["case_number"] == case.number
    assert problem["solved"] is False and created.json()["open_problems"] == 1
    monkeypatch.setattr(case_policies, "can_report", lambda actor, area_path=None: False)
    refused = client.post("/api/v1/grid-visits/", body, format="json")
    assert refused.status_code == 400
    assert "只能上报本人负责区域内的事件" in refused.json()["fields"]["problems"][0]
    assert Visit.objects.count() == 1


def test_solved_follows_the_case_being_closed_and_reopened(client, make_user, tree, covered):
    worker = make_user(Role.GRID_WORKER)
    client.force_login(worker)
    visit = log_visit(worker, covered, household(tree["building"]), "楼道灯不亮")
    case = visit.problems.get().case
    assert figures(worker) == {"visits": 1, "with_problems": 1, "solved": 0}
    assert "1 个，未解决 1" in client.get("/grids/visits/").content.decode()
    # when the case is closed
    close(case, worker)
    # then the visit has solved its problem, on every page that counts it
    assert figures(worker) == {"visits": 1, "with_problems": 1, "solved": 1}
    assert "1 个，未解决 0" in client.get("/grids/visits/").content.decode()
    solved_list = client.get("/grids/visits/?problems=solved").content.decode()
    assert f"/grids/visits/{visit.pk}/" in solved_list
    detail = client.get(f"/grids/visits/{visit.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/"' in detail and "已解决" in detail
    home = selectors.grid_worker_home(actor=worker)
    assert home["figures"]["solved"] == 1
    assert home["cases"] == [
        {
            "title": "楼道灯不亮",
            "state": "已办结",
            "source": "民情走访",
            "url": f"/cases/{case.pk}/",
        }
    ]
    grid_page = client.get(f"/grids/{covered.pk}/").content.decode()
    assert re.search(r"解决问题</dt><dd>1<", grid_page)
    # when the resident comes back unhappy, it is not solved any more
    case_reopen(actor=worker, case=case, note="居民反映灯又坏了")
    assert figures(worker)["solved"] == 0
    assert (
        f"/grids/visits/{visit.pk}/"
        not in client.get("/grids/visits/?problems=solved").content.decode()
    )


def map_features(client, url):
    page = client.get(url).content.decode()
    found = re.search(r'id="grid-geojson"[^>]*>(.*?)</script>', page, re.S)
    assert found is not None
    return {
        f["properties"]["name"]: f["properties"] for f in json.loads(found.group(1))["features"]
    }


def test_the_map_is_coloured_by_the_open_cases_located_in_each_grid(
    client, make_user, tree, covered, second_building
):
    staff = make_user(Role.COMMUNITY_STAFF)
    worker = make_user(Role.GRID_WORKER)
    client.force_login(staff)
    west = grid(tree["community"], name="西网格", boundary=square(117.75, 34.56))
    services.grid_uncover_area(actor=None, coverage=covered.coverages.get(area=tree["estate"]))
    services.grid_cover_area(actor=None, grid=covered, area=tree["building"])
    services.grid_cover_area(actor=None, grid=west, area=second_building)
    cat = problem_category()
    # east: a visit's case and a case reported directly on its building, both open
    log_visit(worker, covered, household(tree["building"]), "楼道灯不亮")
    report(worker, tree["building"], cat)
    # west: one case, closed; the community as a whole: one open case, in no grid
    close(report(worker, second_building, cat), worker)
    report(worker, tree["community"], cat)
    features = map_features(client, "/grids/map/?color=cases")
    assert features["东网格"]["open_cases"] == 2
    assert features["西网格"]["open_cases"] == 0
    page = client.get("/grids/map/?color=cases").content.decode()
    assert 'data-color="cases"' in page
    # the map's table of figures: the east grid's row says 2 open cases
    east_row = re.search(r'<tr data-testid="map-grid">(?:(?!</tr>).)*东网格.*?</tr>', page, re.S)
    assert east_row and 'data-label="未办结案件">2</td>' in east_row.group(0)
    assert selectors.grid_figures(actor=staff, grid=covered)["open_cases"] == 2


def test_open_cases_of_a_sibling_community_are_not_counted(make_user, tree, covered):
    theirs = make_user(Role.GRID_WORKER, "other_community")
    ours = make_user(Role.COMMUNITY_STAFF)
    report(make_user(Role.GRID_WORKER), tree["building"], problem_category())
    assert (
        selectors.map_grids(actor=ours, community=tree["community"])[0]["properties"]["open_cases"]
        == 1
    )
    assert selectors.map_grids(actor=theirs, community=tree["community"]) == []


def test_the_map_uses_the_same_number_of_queries_for_2_and_8_grids(
    client, make_user, tree, covered, count_queries
):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    worker = make_user(Role.GRID_WORKER)
    log_visit(worker, covered, household(tree["building"]), "楼道灯不亮")
    grid(tree["community"], boundary=square(117.70, 34.50))
    url = "/grids/map/?color=cases"
    client.get(url)
    few = count_queries(client, url)
    assert len(map_features(client, url)) == 2
    for n in range(6):
        grid(tree["community"], boundary=square(117.60 + n * 0.02, 34.40))
    many = count_queries(client, url)
    assert len(map_features(client, url)) == 8
    assert many == few


@pytest.mark.parametrize("where", ["page", "api"])
def test_a_visit_and_its_case_of_a_sibling_community_are_404(
    client, api_for, make_user, tree, other_building, where
):
    theirs = grid(tree["other_community"])
    services.grid_cover_area(actor=None, grid=theirs, area=tree["other_estate"])
    visit = log_visit(make_user(Role.GRID_WORKER, "other_community"), theirs,
                      household(other_building), "漏水")  # fmt: skip
    case = visit.problems.get().case
    ours = make_user(Role.COMMUNITY_STAFF)
    if where == "page":
        client.force_login(ours)
        assert client.get(f"/grids/visits/{visit.pk}/").status_code == 404
        assert client.get(f"/cases/{case.pk}/").status_code == 404
    else:
        api = api_for(ours)
        assert api.get(f"/api/v1/grid-visits/{visit.pk}/").status_code == 404
        assert api.get("/api/v1/grid-visits/").json()["results"] == []
