"""``{% once_token %}``: the one-time token (:mod:`common.once`) for a form a page renders
without going through ``common.pages``, such as the buttons and small forms of a detail page
posted to a ``form_action`` view. Each use is a fresh token, so every form on the page has its
own; submitting one rendering of the form twice saves once."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from common import once

register = template.Library()


@register.simple_tag
def once_token() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, once.new_token())
