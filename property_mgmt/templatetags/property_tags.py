"""The 红色物业 tabs a user may follow (a tab never leads to a 403)."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import policies

register = template.Library()

TABS = [
    ("home", _("概览"), "property_mgmt:home", policies.can_use),
    ("companies", _("物业企业"), "property_mgmt:company_list", policies.can_read_area_ledgers),
    ("contracts", _("服务合同"), "property_mgmt:contract_list", policies.can_read_area_ledgers),
    ("coverage", _("覆盖率"), "property_mgmt:coverage", policies.can_read_mediation),
    ("committees", _("业委会"), "property_mgmt:committee_list", policies.can_read_area_ledgers),
    ("meetings", _("议事会议"), "property_mgmt:meeting_list", policies.can_use),
    ("resolutions", _("会议决议"), "property_mgmt:resolution_list", policies.can_use),
    ("complaints", _("投诉与纠纷"), "property_mgmt:complaint_list", policies.can_read_area_ledgers),
    ("mediations", _("纠纷调解"), "property_mgmt:mediation_list", policies.can_read_mediation),
    ("surveys", _("满意度调查"), "property_mgmt:survey_list", policies.can_read_area_ledgers),
    ("rates", _("投诉率"), "property_mgmt:complaint_rates", policies.can_read_area_ledgers),
    ("satisfaction", _("满意度"), "property_mgmt:satisfaction", policies.can_read_area_ledgers),
    ("ranking", _("红黑榜"), "property_mgmt:ranking", policies.can_read_area_ledgers),
]


@register.simple_tag(takes_context=True)
def property_tabs(context: Any) -> list[dict[str, Any]]:
    user = context["request"].user
    return [
        {"key": key, "label": label, "url": reverse(name)}
        for key, label, name, allowed in TABS
        if allowed(user)
    ]
