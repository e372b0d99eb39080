import json
import re
from datetime import date
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from grids import services
from grids.models import GridPost, Station

from .factories import grid, household, problem_category, square, staff_fully, worker

pytestmark = pytest.mark.django_db


def station(target, name):
    return services.station_create(
        actor=None,
        grid=target,
        name=name,
        address="1号",
        opening_hours="8:30—17:30",
        services=["volunteer"],
    )


def visit(target, user, building):
    return services.visit_log(
        actor=user,
        grid=target,
        household=household(building),
        visited_on=timezone.localdate(),
        kind="door",
        heard="了解情况",
        problems=[(problem_category(), "漏水")],
    )


def test_the_grid_list_shows_breaches_and_has_an_empty_state(client, make_user, tree):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    assert "没有符合条件的网格" in client.get("/grids/").content.decode()
    grid(tree["community"], name="东网格")
    page = client.get("/grids/?staffing=breach").content.decode()
    assert "东网格" in page and "未配网格长" in page
    assert "东网格" not in client.get("/grids/?staffing=ok").content.decode()


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/grids/", lambda tree, n: [grid(tree["community"]) for _ in range(n)]),
        ("/grids/workers/", lambda tree, n: [worker(tree["community"]) for _ in range(n)]),
        (
            "/grids/stations/",
            lambda tree, n: [station(grid(tree["community"]), f"驿站{i}") for i in range(n)],
        ),
    ],
)
def test_list_pages_use_the_same_number_of_queries_for_2_and_20_rows(
    client, make_user, tree, url, make, count_queries
):
    user = make_user(Role.COMMUNITY_STAFF)
    client.force_login(user)
    make(tree, 2)
    few = count_queries(client, url)
    make(tree, 18)
    assert count_queries(client, url) == few


def test_the_visit_list_uses_the_same_number_of_queries_for_2_and_20_rows(
    client, make_user, tree, count_queries
):
    user = make_user(Role.GRID_WORKER)
    client.force_login(user)
    target = grid(tree["community"])
    services.grid_cover_area(actor=None, grid=target, area=tree["estate"])
    for _ in range(2):
        visit(target, user, tree["building"])
    few = count_queries(client, "/grids/visits/")
    for _ in range(18):
        visit(target, user, tree["building"])
    page = client.get("/grids/visits/").content.decode()
    assert count_queries(client, "/grids/visits/") == few
    assert "1 个，未解决 1" in page


@pytest.mark.parametrize("kind", ["grid", "worker", "station", "visit"])
def test_objects_of_a_sibling_community_are_404(client, make_user, tree, other_building, kind):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    theirs = grid(tree["other_community"])
    their_worker = make_user(Role.GRID_WORKER, "other_community")
    services.grid_cover_area(actor=None, grid=theirs, area=tree["other_estate"])
    url = {
        "grid": lambda: f"/grids/{theirs.pk}/",
        "worker": lambda: f"/grids/workers/{worker(tree['other_community']).pk}/",
        "station": lambda: f"/grids/stations/{station(theirs, '乙驿站').pk}/",
        "visit": lambda: f"/grids/visits/{visit(theirs, their_worker, other_building).pk}/",
    }[kind]()
    assert client.get(url).status_code == 404


def test_a_community_worker_staffs_a_grid_from_the_page(client, make_user, tree):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    target = grid(tree["community"])
    person = worker(tree["community"], name="钱多多")
    response = client.post(
        f"/grids/{target.pk}/staff/",
        {"post": GridPost.WORKER, "worker": person.pk, "started_on": "2025-01-02"},
        follow=True,
    )
    page = response.content.decode()
    assert "人员已配备" in page and "钱多多" in page


def test_a_grid_worker_may_not_staff_grids(client, make_user, tree):
    client.force_login(make_user(Role.GRID_WORKER))
    target = grid(tree["community"])
    response = client.post(
        f"/grids/{target.pk}/staff/",
        {"post": GridPost.LEADER, "person_name": "某人", "started_on": "2025-01-02"},
    )
    assert response.status_code == 403


def test_the_staffing_page_lists_breaches_and_exports(client, make_user, tree):
    client.force_login(make_user(Role.STREET_STAFF))
    assert "均已达标" in client.get("/grids/staffing/").content.decode()
    grid(tree["community"], name="缺人网格")
    page = client.get("/grids/staffing/").content.decode()
    assert "甲街道" in page and "甲社区" in page and "缺人网格" in page
    export = client.get("/grids/staffing/?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_every_ledger_exports_to_excel(client, make_user, tree):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    grid(tree["community"])
    for url in ["/grids/", "/grids/workers/", "/grids/stations/", "/grids/visits/"]:
        response = client.get(f"{url}?export=xlsx")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_map_draws_our_own_geojson_with_local_echarts(client, make_user, tree):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    target = grid(tree["community"], name="地图网格", boundary=square(117.73, 34.56))
    staff_fully(target)
    page = client.get("/grids/map/").content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in page
    assert "https://" not in page and "http://" not in page
    found = re.search(r'id="grid-geojson"[^>]*>(.*?)</script>', page, re.S)
    assert found is not None
    geojson = json.loads(found.group(1))
    [feature] = geojson["features"]
    assert feature["properties"]["name"] == "地图网格"
    assert feature["properties"]["staffing_ok"] is True
    assert feature["geometry"] == square(117.73, 34.56)


def test_locating_a_point_opens_its_grid(client, make_user, tree):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    target = grid(tree["community"], boundary=square(117.73, 34.56))
    response = client.get("/grids/locate/?longitude=117.735&latitude=34.565")
    assert response.status_code == 302 and response["Location"] == f"/grids/{target.pk}/"
    missed = client.get("/grids/locate/?longitude=100&latitude=30", follow=True)
    assert "不在您辖区内任何网格之中" in missed.content.decode()


def test_a_grid_workers_home_lists_their_grids(client, make_user, tree):
    user = make_user(Role.GRID_WORKER)
    client.force_login(user)
    target = grid(tree["community"], name="我的网格")
    grid(tree["community"], name="别人的网格")
    person = worker(tree["community"], user=user)
    services.staffing_assign(
        actor=None, grid=target, post=GridPost.WORKER, worker=person, started_on=date(2025, 1, 1)
    )
    page = client.get("/").content.decode()
    assert "我的网格" in page and "别人的网格" not in page
    assert "登记民情走访" in page


def test_a_grade_change_from_the_worker_page(client, make_user, tree):
    client.force_login(make_user(Role.STREET_STAFF))
    person = worker(tree["community"], grade=3, hired_on=date(2020, 1, 1))
    page = client.post(
        f"/grids/workers/{person.pk}/grade/",
        {
            "post": "deputy",
            "grade": "7",
            "effective_on": str(timezone.localdate()),
            "reason": "考核优秀",
        },
        follow=True,
    ).content.decode()
    assert "岗级变动已记录" in page and "考核优秀" in page


def test_a_red_station_gets_a_model_post(client, make_user, tree):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    spot = station(grid(tree["community"]), "幸福驿站")
    page = client.post(
        f"/grids/stations/{spot.pk}/posts/",
        {"title": "党员示范岗", "member_name": "孙红", "since": "2025-05-01"},
        follow=True,
    ).content.decode()
    assert "孙红" in page
    assert Station.objects.get().model_posts.count() == 1


def export_rows(client, url):
    response = client.get(f"{url}{'&' if '?' in url else '?'}export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_ledger_exports_keep_their_columns_and_filters(client, make_user, tree):
    user = make_user(Role.COMMUNITY_STAFF)
    client.force_login(user)
    east = grid(tree["community"], name="东网格", code="E01")
    grid(tree["community"], name="西网格", code="W01")
    station(east, "幸福驿站")
    worker(tree["community"], name="钱多多")
    services.grid_cover_area(actor=None, grid=east, area=tree["estate"])
    visit(east, user, tree["building"])
    header, *rows = export_rows(client, "/grids/?q=东")
    assert header[:3] == ["网格编码", "网格名称", "所属社区"] and header[-2:] == [
        "配备情况",
        "启用",
    ]
    assert rows == [["E01", "东网格", "甲社区", "城市网格", 0, 0, 0, 1,
                     "网格员 0 人，少于 1 人；未配网格长；未配网格党组织书记", "是"]]  # fmt: skip
    header, *rows = export_rows(client, "/grids/workers/")
    assert header[0] == "姓名" and [row[0] for row in rows] == ["钱多多"]
    header, *rows = export_rows(client, "/grids/stations/")
    assert header[-1] == "党员示范岗数" and rows[0][:3] == ["幸福驿站", "红色驿站", "东网格"]
    header, *rows = export_rows(client, "/grids/visits/")
    assert header[6:9] == ["发现问题数", "已解决问题数", "未解决问题数"]
    assert [row[6:9] for row in rows] == [[1, 0, 1]]


def test_a_column_header_sorts_the_list_and_a_second_click_reverses_it(client, make_user, tree):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    grid(tree["community"], name="东网格", code="A01")
    grid(tree["community"], name="西网格", code="B01")
    page = client.get("/grids/").content.decode()
    assert page.index("东网格") < page.index("西网格")
    assert '<th scope="col" aria-sort="ascending"><a href="?o=-code">网格编码 ↑</a></th>' in page
    page = client.get("/grids/?o=-code&kind=").content.decode()
    assert page.index("西网格") < page.index("东网格")
    assert '<a href="?kind=&amp;o=code">网格编码 ↓</a>' in page
    # the filter form keeps the ordering, the export link the filters and the ordering
    assert '<input type="hidden" name="o" value="-code">' in page
    assert 'href="?o=-code&amp;kind=&amp;export=xlsx"' in page


def test_a_list_reads_as_labelled_lines_on_a_phone(client, make_user, tree):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    grid(tree["community"], name="东网格", code="A01")
    page = client.get("/grids/").content.decode()
    assert 'class="table table--stack"' in page
    assert '<td data-label="网格编码">A01</td>' in page
    assert '<td data-label="网格员" class="num">0</td>' in page


def test_the_visit_list_keeps_its_grid_through_the_filter_form(client, make_user, tree):
    user = make_user(Role.GRID_WORKER)
    client.force_login(user)
    target = grid(tree["community"])
    services.grid_cover_area(actor=None, grid=target, area=tree["estate"])
    visit(target, user, tree["building"])
    page = client.get(f"/grids/visits/?grid={target.pk}").content.decode()
    assert f'<input type="hidden" name="grid" value="{target.pk}">' in page
    assert 'data-testid="visit-figures"' in page and "登记走访" in page
    other = grid(tree["community"])
    assert (
        "没有符合条件的走访记录" in client.get(f"/grids/visits/?grid={other.pk}").content.decode()
    )
