"""Navigation by role. Apps add their entries here when their pages exist; an entry shows only
to users whose grants pass its policy, so nobody sees a link that would answer 403."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts import policies
from accounts.two_factor import policies as two_factor_policies
from cases import policies as case_policies
from dashboards import policies as dashboard_policies
from governance import policies as governance_policies
from grids import policies as grid_policies
from property_mgmt import policies as property_policies
from supports import policies as support_policies
from volunteers import policies as volunteer_policies


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    allowed: Callable[[Any], bool]


def _staff(user: Any) -> bool:
    return bool(user.is_staff)


def _everyone(user: Any) -> bool:
    return True


NAV_ITEMS: list[NavItem] = [
    NavItem("home", _("首页"), "home", _everyone),
    NavItem(
        "areas", _("区域与党组织"), "governance:area_tree", governance_policies.can_browse_tree
    ),
    NavItem(
        "ledgers",
        _("台账"),
        "governance:ledger_home",
        governance_policies.can_read_ledgers,
    ),
    NavItem("case_queue", _("我的待办"), "cases:queue", case_policies.can_use_cases),
    NavItem("cases", _("事件"), "cases:list", case_policies.can_use_cases),
    NavItem("grids", _("网格"), "grids:grid_list", grid_policies.can_view_grids),
    NavItem("dashboard", _("数据看板"), "dashboards:home", dashboard_policies.can_view_dashboard),
    NavItem("volunteers", _("双报到"), "volunteers:overview", volunteer_policies.can_use),
    NavItem(
        "volunteer_service",
        _("志愿服务"),
        "volunteers:service_home",
        volunteer_policies.can_use_service,
    ),
    NavItem("property", _("红色物业"), "property_mgmt:home", property_policies.can_use),
    NavItem("supports", _("三大支撑"), "supports:home", support_policies.can_use),
    NavItem("audit", _("审计日志"), "accounts:audit_log", policies.can_read_audit_log),
    NavItem("lockouts", _("登录锁定"), "accounts:lockouts", policies.can_manage_lockouts),
    NavItem(
        "two_factor",
        _("双因素认证"),
        "accounts:two_factor_resets",
        two_factor_policies.can_reset_two_factor,
    ),
    NavItem("api", _("接口文档"), "swagger-ui", policies.can_read_api_docs),
    NavItem("admin", _("后台管理"), "admin:index", _staff),
]


_urls: dict[tuple[Any, str, str], str] = {}


def _url(url_name: str) -> str:
    """``reverse(url_name)``, once per process and script prefix (the entries take no
    arguments; reversing them was most of the menu's time on every page)."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), url_name)
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(url_name)
    return url


def nav_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    """The entries the user may follow; the one whose address is the longest prefix of the current
    path is active, so /cases/queue/ lights 我的待办 and not 事件 as well."""
    entries = [(item, _url(item.url_name)) for item in NAV_ITEMS if item.allowed(user)]

    def matches(url: str) -> bool:
        return current_path == url if url == "/" else current_path.startswith(url)

    active_url = max((url for _item, url in entries if matches(url)), key=len, default=None)
    return [
        {"key": item.key, "label": item.label, "url": url, "active": url == active_url}
        for item, url in entries
    ]
