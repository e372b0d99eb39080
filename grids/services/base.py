"""What every grids service checks first: the actor's permission (``actor=None`` is the
system itself: seed_demo, migrations)."""

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
