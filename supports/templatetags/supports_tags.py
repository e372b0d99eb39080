"""The supports tabs: the four supports as sections, and the pages of the current section,
each shown only to users whose grants open it (a phone gets two short rows, not fourteen
buttons)."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from supports import policies

register = template.Library()

#: section: (label, policy, [(tab key, label, URL name)])
SECTIONS: list[tuple[Any, Any, list[tuple[str, Any, str]]]] = [
    (_("概览"), policies.can_use, [("home", _("概览"), "supports:home")]),
    (
        _("阵地"),
        policies.can_view_centres,
        [
            ("centres", _("党群服务中心"), "supports:centre_list"),
            ("bookings", _("功能室预约"), "supports:booking_list"),
            ("records", _("服务记录"), "supports:record_list"),
            ("counts", _("服务统计"), "supports:service_counts"),
        ],
    ),
    (
        _("书记工作室"),
        policies.can_view_studio,
        [
            ("studio", _("工作室"), "supports:studio"),
            ("sessions", _("活动"), "supports:session_list"),
            ("problems", _("疑难问题"), "supports:problem_list"),
        ],
    ),
    (
        _("两项经费"),
        policies.can_view_funds,
        [
            ("funds", _("预算与执行"), "supports:fund_list"),
            ("spending", _("经费支出"), "supports:spending_list"),
        ],
    ),
    (
        _("队伍"),
        policies.can_view_careers,
        [
            ("roster", _("岗位编制"), "supports:roster"),
            ("rounds", _("招考"), "supports:round_list"),
            ("appraisals", _("年度考核"), "supports:appraisal_list"),
            ("promotions", _("晋升记录"), "supports:promotion_list"),
        ],
    ),
]


@register.inclusion_tag("supports/includes/tabs.html", takes_context=True)
def supports_tabs(context: Any, current: str) -> dict[str, Any]:
    user = context["request"].user
    sections, pages = [], []
    for label, allowed, tabs in SECTIONS:
        if not allowed(user):
            continue
        active = any(key == current for key, _label, _name in tabs)
        sections.append({"label": label, "url": reverse(tabs[0][2]), "active": active})
        if active and len(tabs) > 1:
            pages = [
                {"label": tab_label, "url": reverse(name), "active": key == current}
                for key, tab_label, name in tabs
            ]
    return {"sections": sections, "pages": pages}
