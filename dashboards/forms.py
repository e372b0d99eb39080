"""The dashboard's filter bar: the period, the months of a custom period, the area picker.

It only shows what is in force: the period and territory themselves are read from the query
string by :func:`dashboards.periods.period_from` and :func:`dashboards.territory.territory_for`,
which never fail on a malformed value (an area outside the scope is a 404 there)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.territory import AreaLevel

from .periods import PERIOD_CHOICES, Period
from .territory import Territory


def _month(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "month"})
    )


class DashboardFilterForm(forms.Form):
    def __init__(self, *, territory: Territory, period: Period, base: Territory) -> None:
        super().__init__(
            initial={
                "period": period.kind,
                "from": f"{period.first:%Y-%m}",
                "to": f"{period.last:%Y-%m}",
                "area": str(territory.area.pk) if territory.area is not None else "",
            }
        )
        self.fields["period"] = forms.ChoiceField(
            label=_("统计期间"), choices=PERIOD_CHOICES, required=False
        )
        self.fields["from"] = _month(_("起始月份（自定义）"))
        self.fields["to"] = _month(_("截止月份（自定义）"))
        choices: list[tuple[str, str]] = []
        if base.area is not None:
            choices.append((str(base.area.pk), base.area.name))
        for area in base.choices:
            if base.area is not None and area.pk == base.area.pk:
                continue
            indent = "\u3000" if area.level == AreaLevel.COMMUNITY else ""
            choices.append((str(area.pk), f"{indent}{area.name}"))
        self.show_area = len(choices) > 1
        if self.show_area:
            self.fields["area"] = forms.ChoiceField(
                label=_("街道/社区"), choices=choices, required=False
            )
