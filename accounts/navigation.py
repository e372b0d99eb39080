"""Navigation by role. Apps add their entries here when their pages exist; an entry shows only
to users whose grants pass its policy, so nobody sees a link that would answer 403."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import policies


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
    NavItem("audit", _("审计日志"), "accounts:audit_log", policies.can_read_audit_log),
    NavItem("lockouts", _("登录锁定"), "accounts:lockouts", policies.can_manage_lockouts),
    NavItem("api", _("接口文档"), "swagger-ui", _everyone),
    NavItem("admin", _("后台管理"), "admin:index", _staff),
]


def nav_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    items = []
    for item in NAV_ITEMS:
        if not item.allowed(user):
            continue
        url = reverse(item.url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"key": item.key, "label": item.label, "url": url, "active": active})
    return items
