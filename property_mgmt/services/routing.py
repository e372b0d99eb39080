"""Routing follows the contract calendar. ``contract_create`` and ``contract_terminate`` point
an area's property routing rule at the company serving it *that day*; a contract that starts
later, or simply runs out, changes who serves the area on a day when nobody writes anything.
``routing_resync`` (a beat task, ``property_mgmt.tasks``) catches those days up."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import RoutingRule
from governance.models import Area

from ..models import ContractKind, ServiceContract
from ._common import audit
from .companies import property_category, sync_routing

#: How far back a run looks for contracts that began or ended. Each run re-checks the whole
#: window, so runs the beat missed (a worker down over a weekend) are caught up, and an area
#: already in step is left untouched.
LOOKBACK_DAYS = 7

#: A routing rule as (street/community, department, company) ids; None for no rule of its own.
RuleTarget = tuple[int | None, int | None, int | None] | None


def _rule_of(category_id: int, area_id: int) -> RuleTarget:
    row = (
        RoutingRule.objects.filter(category_id=category_id, area_id=area_id)
        .values_list("unit_area_id", "department_id", "company_id")
        .first()
    )
    return None if row is None else (row[0], row[1], row[2])


def _wanted(area_id: int, day: date) -> RuleTarget:
    company_id = (
        ServiceContract.objects.filter(
            area_id=area_id,
            kind=ContractKind.COMPANY,
            company__isnull=False,
            starts_on__lte=day,
            ends_on__gte=day,
        )
        .values_list("company_id", flat=True)
        .first()
    )
    return None if company_id is None else (None, None, company_id)


def routing_resync(*, day: date | None = None, since: date | None = None) -> int:
    """Bring the property routing rule of each residential area whose contract began, or
    whose contract's last day passed, between ``since`` and ``day`` (today and the
    ``LOOKBACK_DAYS`` before it by default) in line with the contract serving it on ``day``:
    the contracted company, or no rule of the area's own so that the community's (or the
    street's) rule applies. The system acts; an area whose rule changes gets an audit row.
    Idempotent: a second run finds every area in step and writes nothing. Returns how many
    areas' rules changed."""
    day = day or timezone.localdate()
    since = since or day - timedelta(days=LOOKBACK_DAYS)
    category = property_category()
    if category is None:
        return 0
    # An area's server changes on a contract's first day and on the day after its last.
    area_ids = (
        ServiceContract.objects.filter(
            Q(starts_on__gte=since, starts_on__lte=day)
            | Q(ends_on__gte=since - timedelta(days=1), ends_on__lt=day)
        )
        .values_list("area_id", flat=True)
        .distinct()
        .order_by("area_id")
    )
    changed = 0
    for area_id in area_ids:
        changed += _resync_area(area_id, category.pk, day)
    return changed


@transaction.atomic
def _resync_area(area_id: int, category_id: int, day: date) -> int:
    # The area's lock, as contract writes take it: a contract entered meanwhile waits.
    area = Area.objects.select_for_update().filter(pk=area_id).first()
    if area is None:
        return 0
    before, wanted = _rule_of(category_id, area_id), _wanted(area_id, day)
    if before == wanted:
        return 0
    if wanted is None and before is not None and before[2] is None:
        # A rule someone made for a street, community or department is not the contract's.
        return 0
    sync_routing(area, day)
    after = _rule_of(category_id, area_id)
    audit(
        None,
        "routing.resync",
        area,
        day=day.isoformat(),
        company_before=before[2] if before else None,
        company_after=after[2] if after else None,
    )
    return 1
