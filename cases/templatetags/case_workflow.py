"""Template filters that read ``cases.workflow``."""

from django import template

from cases.workflow import action_label as label_of

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """``{{ event.action|action_label }}``: the timeline label of an action."""
    return label_of(action)
