"""What every governance service checks first: the actor's permission."""

from typing import Any

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def system_or(actor: Any, allowed: bool) -> None:
    """``actor=None`` is the system itself (seed_demo, migrations); anyone else needs the policy."""
    if actor is not None:
        require(allowed)
