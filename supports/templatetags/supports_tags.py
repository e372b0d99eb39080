"""The supports tabs: each section's pages, shown only to users whose grants open them."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from supports import policies

register = template.Library()

#: (tab key, label, URL name, policy)
TABS = [
    ("home", _("概览"), "supports:home", lambda user: True),
    ("centres", _("党群服务中心"), "supports:centre_list", policies.can_view_centres),
    ("bookings", _("功能室预约"), "supports:booking_list", policies.can_view_centres),
    ("records", _("服务记录"), "supports:record_list", policies.can_view_centres),
    ("counts", _("服务统计"), "supports:service_counts", policies.can_view_centres),
    ("studio", _("书记工作室"), "supports:studio", policies.can_view_studio),
    ("sessions", _("工作室活动"), "supports:session_list", policies.can_view_studio),
    ("problems", _("疑难问题"), "supports:problem_list", policies.can_view_studio),
    ("funds", _("两项经费"), "supports:fund_list", policies.can_view_funds),
    ("spending", _("经费支出"), "supports:spending_list", policies.can_view_funds),
    ("roster", _("岗位编制"), "supports:roster", policies.can_view_careers),
    ("rounds", _("招考"), "supports:round_list", policies.can_view_careers),
    ("appraisals", _("年度考核"), "supports:appraisal_list", policies.can_view_careers),
    ("promotions", _("晋升记录"), "supports:promotion_list", policies.can_view_careers),
]


@register.inclusion_tag("supports/includes/tabs.html", takes_context=True)
def supports_tabs(context: Any, current: str) -> dict[str, Any]:
    user = context["request"].user
    return {
        "tabs": [
            {"label": label, "url": reverse(name), "active": key == current}
            for key, label, name, allowed in TABS
            if allowed(user)
        ]
    }
