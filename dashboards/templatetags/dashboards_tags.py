"""Filters of the dashboard templates: signed differences and whether they are good news."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def signed(value: Any) -> str:
    """+3, −1.5, 0, or a dash when there is nothing to compare."""
    if value is None:
        return "—"
    number = float(value)
    text = f"{abs(number):g}"
    if number > 0:
        return f"+{text}"
    if number < 0:
        return f"−{text}"
    return "0"


@register.filter
def news(kpi: Any, which: str) -> str:
    """ "good", "bad" or "" for a KPI's change against the previous period or the year before."""
    delta = kpi.delta_previous if which == "previous" else kpi.delta_year
    if not delta:
        return ""
    return "good" if (delta > 0) == kpi.higher_is_better else "bad"
