"""Template filters that read ``cases.workflow`` and ``cases.notify``."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from cases.notify import notification_text as text_of
from cases.rows import case_rows as rows_of
from cases.workflow import action_label as label_of

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """``{{ event.action|action_label }}``: the timeline label of an action."""
    return label_of(action)


@register.filter
def notification_text(notification: Any) -> str:
    """``{{ n|notification_text }}``: the notification in the reader's language."""
    return text_of(notification)


@register.simple_tag
def case_rows(cases: Any) -> SafeString:
    """``{% case_rows page.object_list %}``: the ``<tr>`` of a case table (cases.rows)."""
    return rows_of(cases)
