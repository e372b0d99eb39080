"""The few figures a role home page shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    OPEN_STATES,
    Alert,
    Case,
)
from cases.selectors import waiting_condition

from ..periods import PeriodKind, current_period
from ..policies import can_view_dashboard
from ..territory import territory_for
from .board import case_dashboard

# --- The role home pages -------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeFigure:
    key: str
    label: Any
    value: Any
    url: str
    unit: str = ""


def work_figures(*, actor: Any) -> list[HomeFigure]:
    """What waits for the actor (待我办理), how much of it falls due today, and the overdue and
    supervised open cases of their scope: one aggregate over the open cases they may see."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(timezone.localdate(), time.min, tzinfo=tz)
    tomorrow = start + timedelta(days=1)
    waiting = waiting_condition(actor)
    counts = (
        Case.objects.visible_to(actor)
        .filter(state__in=sorted(OPEN_STATES))
        .aggregate(
            waiting=Count("pk", filter=waiting),
            due_today=Count("pk", filter=waiting & Q(due_at__gte=start, due_at__lt=tomorrow)),
            overdue=Count("pk", filter=Q(alert=Alert.RED)),
            supervised=Count("pk", filter=~Q(supervision="")),
        )
    )
    queue = reverse("cases:queue")
    return [
        HomeFigure("waiting", gettext_lazy("待我办理"), counts["waiting"], queue, _("件")),
        HomeFigure("due_today", gettext_lazy("今日到期"), counts["due_today"], queue, _("件")),
        HomeFigure(
            "overdue", gettext_lazy("已超期"), counts["overdue"], f"{queue}?tab=overdue", _("件")
        ),
        HomeFigure(
            "supervised",
            gettext_lazy("督办中"),
            counts["supervised"],
            f"{queue}?tab=supervised",
            _("件"),
        ),
    ]


HOME_KPIS = ("reported", "open", "overdue_now", "on_time_rate", "satisfaction_rate")


def home_dashboard(*, actor: Any) -> dict[str, Any] | None:
    """The few dashboard figures of the actor's scope for their home page (this year), and,
    for a department or company, its place in the appraisal ranking."""
    if not can_view_dashboard(actor):
        return None
    try:
        territory = territory_for(actor)
    except Http404:
        return None
    period = current_period(PeriodKind.YEAR)
    sections = frozenset({"kpis", "rankings"}) if territory.is_unit else frozenset({"kpis"})
    board = case_dashboard(actor=actor, territory=territory, period=period, sections=sections)
    query = {"unit": territory.unit} if territory.is_unit else {}
    result: dict[str, Any] = {
        "territory": territory,
        "period": period,
        "kpis": [k for k in board.kpis if k.key in HOME_KPIS],
        "url": reverse("dashboards:home") + (f"?{urlencode(query)}" if query else ""),
    }
    if board.rankings:
        ranking = board.rankings[0]
        own = ranking.units[0] if ranking.units else None
        result["rank"] = {"title": ranking.title, "rank": own.rank if own else None,
                          "total": ranking.total, "score": own.score if own else None}  # fmt: skip
    return result
