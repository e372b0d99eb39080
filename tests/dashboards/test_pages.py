"""The dashboard pages as their users meet them: the figures of their own scope, each a link to
its rows, the tables as Excel, the big screen, the map and the monthly report; nothing for the
security administrator and the auditor; 404 for an area outside the scope."""

from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from accounts.roles import Role
from cases.services import case_accept, case_dispatch
from dashboards.direct import DirectSource
from dashboards.periods import PeriodKind, current_period
from dashboards.territory import Territory
from governance.units import Unit
from tests.cases.factories import report

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cases(people, tree, cat, here: int, there: int) -> None:
    for _ in range(here):
        report(people["grid"], tree["estate"], cat)
    for _ in range(there):
        report(people["other_grid"], tree["other_estate"], cat)


def _kpi(response, key: str) -> Any:
    board = response.context["board"]
    return next(k for k in board.kpis if k.key == key)


def test_the_district_leader_sees_the_whole_district(people, tree, cat):
    # given cases in both streets
    _cases(people, tree, cat, here=3, there=2)
    # when the leader opens the dashboard
    response = client_for(people["leader"]).get("/dashboard/")
    # then the figures count both streets, and the street table has one row per street
    assert response.status_code == 200
    assert _kpi(response, "reported").value == 5
    areas = response.context["tables"]["areas"]
    assert {row[0].value: row[1].value for row in areas.rows} == {"甲街道": 3, "乙镇": 2}
    assert "测试区数据看板" in response.content.decode()


def test_a_street_sees_its_subtree_only_and_not_a_sibling_street(people, tree, cat):
    _cases(people, tree, cat, here=3, there=2)
    client = client_for(people["street"])
    response = client.get("/dashboard/")
    assert _kpi(response, "reported").value == 3
    # its community may be picked; the other street's may not (404, as if it did not exist)
    assert client.get(f"/dashboard/?area={tree['community'].pk}").status_code == 200
    assert client.get(f"/dashboard/?area={tree['other_community'].pk}").status_code == 404
    assert client.get(f"/dashboard/?area={tree['other_street'].pk}").status_code == 404


def test_a_community_user_asking_for_another_community_gets_404(people, tree):
    client = client_for(people["community"])
    assert client.get(f"/dashboard/?area={tree['other_community'].pk}").status_code == 404
    assert client.get(f"/dashboard/cases/?area={tree['other_community'].pk}").status_code == 404
    assert (
        client.get(f"/dashboard/map/grids.json?area={tree['other_community'].pk}").status_code
        == 404
    )


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDITOR])
@pytest.mark.parametrize(
    "url",
    ["/dashboard/", "/dashboard/screen/", "/dashboard/screen/panel/", "/dashboard/report/",
     "/dashboard/report.pdf", "/dashboard/cases/", "/dashboard/map/grids.json", "/dashboard/seed/",
     "/dashboard/coverage/", "/dashboard/direct/"],
)  # fmt: skip
def test_the_security_admin_and_the_auditor_see_no_dashboard(make_user, role, url):
    assert client_for(make_user(role)).get(url).status_code == 403


def test_a_department_sees_its_own_figures_and_rank_not_other_departments(
    people, tree, cat, department
):
    # given a case the department leads, and another department with cases of its own
    from governance.models import Department

    other = Department.objects.create(name="区城管局", code="T002")
    for lead in (department, other, other):
        case = report(people["grid"], tree["estate"], cat)
        case_accept(actor=people["community"], case=case)
        case_dispatch(actor=people["community"], case=case, lead=Unit(department=lead))
    # when its liaison opens the dashboard
    response = client_for(people["dept"]).get("/dashboard/")
    # then the figures are its own case, its position is shown, the other's inputs are not
    assert response.status_code == 200
    assert _kpi(response, "reported").value == 1
    ranking = response.context["board"].rankings[0]
    assert ranking.own_only and [u.name for u in ranking.units] == ["区住建局"]
    assert ranking.total == 2
    assert "区城管局" not in response.content.decode()
    # and it cannot ask for another unit's dashboard
    assert (
        client_for(people["dept"]).get(f"/dashboard/?unit=department:{other.pk}").status_code == 404
    )


def test_every_figure_links_to_exactly_the_cases_it_counts(people, tree, cat):
    # given cases of two sources, one dispatched
    report(people["grid"], tree["estate"], cat, source="hotline")
    report(people["grid"], tree["estate"], cat, source="hotline")
    case = report(people["grid"], tree["building"], cat)
    case_accept(actor=people["community"], case=case)
    client = client_for(people["leader"])
    response = client.get("/dashboard/")
    tables = response.context["tables"]
    # then each number of the source table leads to a list of that many cases
    for row in tables["sources"].rows:
        count, url = row[1].value, row[1].url
        listed = client.get(url)
        assert listed.status_code == 200
        assert listed.context["page"].paginator.count == count, url
    # and the KPIs the case list can filter lead to it
    assert _kpi(response, "open").url.startswith("/cases/?")
    assert client.get(_kpi(response, "open").url).context["page"].paginator.count == 3


def test_the_figures_equal_a_direct_count(people, tree, cat):
    _cases(people, tree, cat, here=4, there=1)
    response = client_for(people["leader"]).get("/dashboard/")
    period = current_period(PeriodKind.YEAR)
    direct = DirectSource().months(Territory("区", everything=True), period.first, period.last)
    assert _kpi(response, "reported").value == sum(m.n for _month, _c, m in direct)


def test_the_dashboard_makes_as_many_queries_for_2_cases_as_for_20(
    people, tree, cat, count_queries
):
    client = client_for(people["leader"])
    _cases(people, tree, cat, here=1, there=1)
    few = count_queries(client, "/dashboard/")
    few_cases = count_queries(client, "/dashboard/cases/")
    _cases(people, tree, cat, here=9, there=9)
    assert count_queries(client, "/dashboard/") == few
    assert count_queries(client, "/dashboard/cases/") == few_cases


def test_each_table_exports_to_excel_with_chinese_headers(people, tree, cat):
    _cases(people, tree, cat, here=2, there=1)
    client = client_for(people["leader"])
    for key, header in [("areas", "区域"), ("kpis", "指标"), ("ranking-communities", "名次")]:
        response = client.get(f"/dashboard/?export={key}")
        assert response.status_code == 200
        sheet = load_workbook(BytesIO(response.content)).active
        assert sheet.cell(1, 1).value == header
    assert client.get("/dashboard/?export=nothing").status_code == 404


def test_the_big_screen_refreshes_its_panel_without_a_reload(people, tree, cat):
    _cases(people, tree, cat, here=2, there=0)
    client = client_for(people["leader"])
    page = client.get("/dashboard/screen/").content.decode()
    assert 'hx-trigger="every 30s"' in page and "echarts.min.js" in page
    panel = client.get("/dashboard/screen/panel/", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="screen-kpis"' in panel and 'hx-swap-oob="true"' in panel


def test_the_monthly_report_prints_and_downloads_as_pdf(people, tree, cat):
    _cases(people, tree, cat, here=2, there=1)
    client = client_for(people["street"])
    month = current_period(PeriodKind.MONTH).first.strftime("%Y-%m")
    page = client.get(f"/dashboard/report/?month={month}")
    assert page.status_code == 200 and "data-print" in page.content.decode()
    pdf = client.get(f"/dashboard/report.pdf?month={month}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"


def test_the_map_gives_the_grids_of_the_scope(people, tree, cat):
    from grids.models import Grid, GridCoverage

    square = {
        "type": "Polygon",
        "coordinates": [[[117, 34], [117.1, 34], [117.1, 34.1], [117, 34]]],
    }
    grid = Grid.objects.create(
        community=tree["community"], area_path=tree["community"].path, code="G1", name="一网格",
        boundary=square,
    )  # fmt: skip
    GridCoverage.objects.create(grid=grid, area=tree["estate"], area_path=tree["estate"].path)
    report(people["grid"], tree["building"], cat)
    data = client_for(people["street"]).get("/dashboard/map/grids.json").json()
    [feature] = data["features"]
    assert feature["properties"]["open"] == 1
    assert feature["properties"]["community_id"] == tree["community"].pk
    assert (
        client_for(people["other_street"]).get("/dashboard/map/grids.json").json()["features"] == []
    )


def test_the_seed_panel_shows_what_is_not_recorded_yet(people):
    response = client_for(people["leader"]).get("/dashboard/seed/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "民情走访" in body
    assert "尚未录入" in body or "/grids/visits/" in body


def test_the_direct_count_check_is_for_the_district_admin(people, tree, cat):
    _cases(people, tree, cat, here=2, there=1)
    assert client_for(people["leader"]).get("/dashboard/direct/").status_code == 403
    response = client_for(people["admin"]).get("/dashboard/direct/")
    assert response.status_code == 200 and response.context["board"].source == "direct"
    assert _kpi(response, "reported").value == 3
    panel = client_for(people["admin"]).get("/dashboard/direct/?view=screen")
    assert panel.status_code == 200 and 'id="screen-kpis"' in panel.content.decode()


def test_the_coverage_panel_counts_the_scope(people, tree):
    body = client_for(people["street"]).get("/dashboard/coverage/").content.decode()
    assert 'data-testid="coverage"' in body
