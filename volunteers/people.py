"""Who a person is across check-ins and campaigns."""

from __future__ import annotations

from typing import Any

from accounts.personal_data import blind_index


def person_key(*, party_member: Any = None, phone: str = "") -> str:
    """The ledger member when there is one, else the keyed hash of the phone."""
    if party_member is not None:
        return f"member:{party_member.pk}"
    return f"phone:{blind_index(phone)}"
