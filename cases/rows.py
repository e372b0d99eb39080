"""The rows of a case table (事件台账, 我的待办), written in Python: the same markup the
template gave, in a fortieth of its time (twenty rows of a dozen fields each were the
costliest part of the case pages; issue 18)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .models import Case

#: What the rows show: the list page and the queue load only these (and the joins they need).
RELATED = ("category__parent", "community")
FIELDS = (
    "id", "number", "title", "is_urgent", "supervision", "state", "tier", "alert", "due_at",
    "created_at", "category_id", "community_id", "category__name", "category__parent_id",
    "category__parent__name", "community__name",
)  # fmt: skip


def only_shown(cases: Any) -> Any:
    """``cases`` with just the columns and joins the rows show (no description, no encrypted
    contact, no street or area row: a third of the page's time went to building them)."""
    return cases.select_related(None).select_related(*RELATED).only(*FIELDS)


_PK = 987654321  # a placeholder number, replaced by each row's own


def _labels(name: str) -> dict[str, str]:
    field = Case._meta.get_field(name)
    return {str(value): str(label) for value, label in field.flatchoices}  # type: ignore[union-attr]


def _when(value: Any) -> str:
    """``Y-m-d H:i`` in the portal's time zone (strftime: a fifth of Django's date format)."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def case_rows(cases: Iterable[Case]) -> SafeString:
    """``<tr>`` of each case: number (a link), badges and title, category, community, state
    and tier, deadline with its alert, reporting time; each cell labelled for the phone. The
    labels are escaped once per table, each row's own text as it is written (``html.escape``,
    as Django's ``escape``)."""
    detail_head, detail_tail = reverse("cases:detail", args=[_PK]).split(str(_PK))
    state, tier, alert, supervision = (
        {value: escape(text) for value, text in _labels(name).items()}
        for name in ("state", "tier", "alert", "supervision")
    )
    label = {
        key: escape(str(text))
        for key, text in (
            ("number", _("编号")),
            ("title", _("标题")),
            ("category", _("类别")),
            ("community", _("社区")),
            ("state", _("状态")),
            ("due", _("办理期限")),
            ("created", _("上报时间")),
        )
    }
    urgent = f'<span class="badge badge--urgent">{escape(_("加急"))}</span> '
    rows = []
    for case in cases:
        badges = urgent if case.is_urgent else ""
        if case.supervision:
            badges += f'<span class="badge">{supervision[case.supervision]}</span> '
        category = case.category
        parent = escape(category.parent.name) if category.parent_id else ""  # type: ignore[union-attr]
        community = escape(case.community.name) if case.community_id else ""
        css = escape(case.alert or "ok")
        due = "—"
        if case.due_at:
            shown = f" · {alert[case.alert]}" if case.alert else ""
            due = f'<span class="deadline deadline--{css}">{_when(case.due_at)}{shown}</span>'
        rows.append(
            f'<tr class="case-row case-row--{css}" data-testid="case-row">'
            f'<td data-label="{label["number"]}"><a href="{detail_head}{case.pk}{detail_tail}">'
            f"{escape(case.number)}</a></td>"
            f'<td data-label="{label["title"]}">{badges}{escape(case.title)}</td>'
            f'<td data-label="{label["category"]}">{parent} → {escape(category.name)}</td>'
            f'<td data-label="{label["community"]}">{community}</td>'
            f'<td data-label="{label["state"]}"><span class="state state--{escape(case.state)}">'
            f"{state[case.state]}</span> · {tier[case.tier]}</td>"
            f'<td data-label="{label["due"]}">{due}</td>'
            f'<td data-label="{label["created"]}">{_when(case.created_at)}</td></tr>'
        )
    return SafeString("\n".join(rows))
