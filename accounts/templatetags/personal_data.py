"""``{% load personal_data %}``: ``{{ person.id_number|id_number:unmask }}`` and
``{{ person.phone|phone:unmask }}`` show the masked form unless ``unmask`` is true (the view
sets it only for a holder of the unmask permission who asked, and audits it)."""

from django import template

from accounts.personal_data import show_id_number, show_phone

register = template.Library()


@register.filter(name="id_number")
def id_number_filter(value: str | None, unmask: bool = False) -> str:
    return show_id_number(value, bool(unmask)) or "—"


@register.filter(name="phone")
def phone_filter(value: str | None, unmask: bool = False) -> str:
    return show_phone(value, bool(unmask)) or "—"
