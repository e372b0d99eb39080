"""What an Open311 client's key may reach, besides what its account may.

A client is registered with optional limits (``accounts.Open311Client``): areas (each covering
its subtree) and service codes (a second-level category's code, or its first-level group's,
covering every category in the group). No limit of a kind means none beyond the account's grants.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import Open311Client
from accounts.scoping import any_of
from cases.models import Case, Category


def client_area_paths(client: Open311Client) -> list[str]:
    return list(client.areas.values_list("path", flat=True))


def client_covers(client: Open311Client, *, area_path: str, category: Category) -> bool:
    """May this client file a request of ``category`` at the area with ``area_path``?"""
    paths = client_area_paths(client)
    if paths and not any(area_path.startswith(path) for path in paths):
        return False
    codes = set(client.service_codes or [])
    if codes:
        parent = category.parent.code if category.parent is not None else None
        return category.code in codes or parent in codes
    return True


def client_cases(client: Any, cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases a client's reads are cut to (``client`` None: a portal user's own token or
    session, cut only by the user's scope)."""
    if not isinstance(client, Open311Client):
        return cases
    condition = Q()
    within = any_of(Q(area_path__startswith=path) for path in client_area_paths(client))
    if within is not None:
        condition &= within
    codes = list(client.service_codes or [])
    if codes:
        condition &= Q(category__code__in=codes) | Q(category__parent__code__in=codes)
    return cases.filter(condition)
