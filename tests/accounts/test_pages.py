import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db


def nav(page: str) -> list[str]:
    block = re.search(r'<nav class="mainnav".*?</ul>', page, re.S)
    assert block is not None
    return re.findall(r"<a [^>]*>([^<]+)</a>", block.group(0))


#: What every area role (district to grid) finds in the menu before the API docs.
AREA_NAV = [
    "首页",
    "区域与党组织",
    "台账",
    "我的待办",
    "事件",
    "网格",
    "数据看板",
    "双报到",
    "志愿服务",
    "红色物业",
    "三大支撑",
]


@pytest.mark.parametrize(
    ("role", "label", "expected_nav"),
    [
        (
            Role.DISTRICT_ADMIN,
            "区级系统管理员",
            [*AREA_NAV, "接口文档", "后台管理"],
        ),
        (
            Role.DISTRICT_LEADER,
            "区领导 / 组织部",
            [*AREA_NAV],
        ),
        (
            Role.STREET_STAFF,
            "街道工作人员",
            [*AREA_NAV],
        ),
        (
            Role.COMMUNITY_STAFF,
            "社区工作人员",
            [*AREA_NAV],
        ),
        (
            Role.GRID_WORKER,
            "网格员",
            [*AREA_NAV],
        ),
        (
            Role.DEPARTMENT_LIAISON,
            "区直部门联络员",
            ["首页", "我的待办", "事件", "数据看板", "双报到", "红色物业"],
        ),
        (
            Role.PROPERTY_STAFF,
            "物业企业人员",
            ["首页", "我的待办", "事件", "数据看板", "红色物业"],
        ),
        (
            Role.SECURITY_ADMIN,
            "安全管理员",
            ["首页", "审计日志", "登录锁定", "双因素认证", "接口文档", "后台管理"],
        ),
        (Role.AUDITOR, "审计员", ["首页", "审计日志", "后台管理"]),
    ],
)
def test_each_role_gets_its_home_and_navigation(client, make_user, role, label, expected_nav):
    staff = role in {Role.DISTRICT_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}
    client.force_login(make_user(role, is_staff=staff) if staff else make_user(role))
    page = client.get("/").content.decode()
    assert label in page
    assert nav(page) == expected_nav


def test_the_district_admin_home_counts_accounts_by_role(client, make_user):
    client.force_login(make_user(Role.DISTRICT_ADMIN, is_staff=True))
    make_user(Role.GRID_WORKER)
    page = client.get("/").content.decode()
    assert "账号分布" in page and "网格员" in page


def test_the_home_page_counts_the_areas_in_scope(client, make_user):
    client.force_login(make_user(Role.STREET_STAFF))
    page = client.get("/").content.decode()
    assert "辖区概况" in page
    assert re.search(r"<dt>社区</dt><dd>1</dd>", page)


def test_a_missing_page_is_a_chinese_404(client, make_user):
    client.force_login(make_user(Role.GRID_WORKER))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_the_500_page_is_chinese_and_stands_alone():
    page = (settings.BASE_DIR / "templates" / "500.html").read_text()
    assert "系统暂时出错" in page and "{%" not in page


def test_english_is_one_switch_away(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/accounts/login/"}, follow=True
    )
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page and "Username" in page


def test_the_shell_loads_nothing_from_outside(client, make_user):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    page = client.get("/").content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "/static/django_htmx/htmx-2.min.js" in page


def test_the_page_is_built_for_a_phone(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page


def test_only_the_most_specific_navigation_entry_is_highlighted(client, make_user):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    page = client.get(reverse("cases:queue")).content.decode()
    block = re.search(r'<nav class="mainnav".*?</ul>', page, re.S)
    assert block is not None
    active = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', block.group(0))
    assert active == ["我的待办"]
