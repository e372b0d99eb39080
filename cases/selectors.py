"""Reads of the cases app, already scoped and prefetched."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Reverse, Upper
from django.shortcuts import get_object_or_404

from accounts.roles import Role
from accounts.scoping import any_of, scope_of
from governance.models import Area

from . import policies
from .models import (
    OPEN_STATES,
    Alert,
    AssignmentRole,
    Case,
    CaseAssignment,
    CaseAttachment,
    CaseEvent,
    CaseState,
    Category,
    Notification,
    Tier,
    search_bigrams,
)

ORDERINGS = {
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "due": ("due_at", "id"),
    "-due": ("-due_at", "-id"),
    "number": ("number",),
    "-number": ("-number",),
}
DEFAULT_ORDERING = "-created"


@dataclass(frozen=True)
class CaseFilters:
    state: str = ""
    tier: str = ""
    category: Category | None = None
    area: Area | None = None
    alert: str = ""
    urgent: bool | None = None
    supervised: bool | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    text: str = ""


def _list_related(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("category__parent", "community", "street", "area")


def case_list(
    *, actor: Any, filters: CaseFilters | None = None, ordering: str = DEFAULT_ORDERING
) -> QuerySet[Case]:
    """The cases the actor may see, filtered. Subtree filters use the stored area path."""
    f = filters or CaseFilters()
    cases: QuerySet[Case] = Case.objects.visible_to(actor)
    condition = Q()
    if f.state == "open":
        condition &= Q(state__in=OPEN_STATES)
    elif f.state:
        condition &= Q(state=f.state)
    if f.tier:
        condition &= Q(tier=f.tier)
    if f.category is not None:
        condition &= Q(category=f.category) | Q(category__parent=f.category)
    if f.area is not None:
        condition &= Q(area_path__startswith=f.area.path)
    if f.alert == "overdue":
        condition &= Q(alert=Alert.RED)
    elif f.alert:
        condition &= Q(alert=f.alert)
    if f.urgent is not None:
        condition &= Q(is_urgent=f.urgent)
    if f.supervised is True:
        condition &= ~Q(supervision="")
    elif f.supervised is False:
        condition &= Q(supervision="")
    if f.created_from is not None:
        condition &= Q(created_at__gte=f.created_from)
    if f.created_to is not None:
        condition &= Q(created_at__lt=f.created_to)
    if f.text:
        cases = case_search(cases, f.text)
    cases = cases.filter(condition)
    return _list_related(cases).order_by(*ORDERINGS.get(ordering, ORDERINGS[DEFAULT_ORDERING]))


def pairs(text: str) -> list[str]:
    """The upper-cased character pairs of ``text``, as SQL's ``cases_search_bigrams`` makes."""
    upper = text.upper()
    return sorted({upper[i : i + 2] for i in range(len(upper) - 1)})


def text_condition(text: str) -> Q:
    """Cases whose title or address contains ``text`` (any case), or whose number begins or
    ends with it. The title and the address are found through the pair index (every pair of
    ``text`` is among the case's), then checked with ``icontains``; the number (ASCII only)
    through its prefix and suffix indexes. Needs ``.alias(search=search_bigrams(),
    number_reversed=...)``: :func:`searchable`."""
    words = Q(title__icontains=text) | Q(address__icontains=text)
    grams = pairs(text)
    if len(text) == 2:
        words = Q(search__contains=grams)  # the pair itself: exact, nothing to check after
    elif grams:
        words = Q(search__contains=grams) & words
    if text.isascii():
        upper = text.upper()
        return Q(number__istartswith=upper) | Q(number_reversed__startswith=upper[::-1]) | words
    return words


def searchable(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The expressions :func:`text_condition` reads, as its indexes hold them."""
    return cases.alias(search=search_bigrams(), number_reversed=Reverse(Upper("number")))


def case_search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """``cases`` (already scoped) cut to those :func:`text_condition` finds for ``text``: the
    one search of the web list's ``q`` and the API's ``search``, so both read the same indexes
    and give the same rows."""
    return searchable(cases).filter(text_condition(text))


def case_get(*, actor: Any, pk: int) -> Case:
    """One visible case with everything its page shows and its policies read (404 outside)."""
    # The current units first (then earlier rounds, latest first); in each round the lead unit
    # (主办) before the cooperating ones.
    lead_first = DbCase(When(role=AssignmentRole.LEAD, then=Value(0)), default=Value(1))
    assignments = CaseAssignment.objects.select_related(
        "unit_area", "department", "company", "person"
    ).order_by(F("ended_at").desc(nulls_first=True), lead_first, "id")
    queryset = Case.objects.visible_to(actor).select_related(
        "category__parent", "community", "street", "area", "reporter", "duplicate_of"
    )
    queryset = queryset.prefetch_related(Prefetch("assignments", queryset=assignments))
    case: Case = get_object_or_404(queryset, pk=pk)
    return case


def case_timeline(*, case: Case) -> QuerySet[CaseEvent]:
    return (
        CaseEvent.objects.filter(case=case)
        .select_related("actor")
        .prefetch_related(Prefetch("attachments", queryset=CaseAttachment.objects.order_by("id")))
        .order_by("at", "id")
    )


QUEUE_TABS = ("waiting", "overdue", "supervised")


def _unit_matches(actor: Any) -> list[Q]:
    """Cases in progress that wait for the actor's units or name the actor: one overlap per
    handling column (``Case.handling_departments`` and its siblings, kept by the transition
    services), each read from its partial GIN index over cases in progress."""
    scope = scope_of(actor)
    parts = [Q(handling_persons__contains=[actor.pk])]
    departments = scope.department_ids([Role.DEPARTMENT_LIAISON])
    if departments:
        parts.append(Q(handling_departments__overlap=sorted(departments)))
    companies = scope.company_ids([Role.PROPERTY_STAFF])
    if companies:
        parts.append(Q(handling_companies__overlap=sorted(companies)))
    areas = sorted(
        {g.area_id for g in scope.for_roles(policies.UNIT_AREA_ROLES) if g.area_id is not None}
    )
    if areas:
        parts.append(Q(handling_areas__overlap=areas))
    return [Q(state=CaseState.IN_PROGRESS) & part for part in parts]


def waiting_condition(actor: Any) -> Q:
    """What waits for the actor: the desk's new and accepted cases and extension requests,
    the units' dispatched cases (cooperating units until they reply), the on-site checks and
    ratings of the grid worker and the community."""
    scope = scope_of(actor)
    if scope.superuser:
        return Q(state__in=OPEN_STATES)
    parts: list[Q] = []
    for role in {policies.DESK_ROLE[t] for t in Tier.values}:
        tiers = [t for t in Tier.values if policies.DESK_ROLE[t] == role]
        for path in scope.area_paths([role]):
            parts.append(
                Q(tier__in=tiers, area_path__startswith=path)
                & (
                    Q(state__in=[CaseState.REPORTED, CaseState.ACCEPTED])
                    | Q(state=CaseState.IN_PROGRESS, extension_requested_days__isnull=False)
                )
            )
    for path in scope.area_paths([Role.GRID_WORKER, Role.COMMUNITY_STAFF]):
        parts.append(
            Q(area_path__startswith=path, state__in=[CaseState.RESOLVED, CaseState.VERIFIED])
        )
    for path in scope.area_paths([Role.GRID_WORKER]):
        parts.append(Q(area_path__startswith=path, state=CaseState.REPORTED, tier=Tier.GRID))
    parts += _unit_matches(actor)
    condition = any_of(parts)
    assert condition is not None  # the parts always hold the actor's own assignments
    return condition


def case_queue(*, actor: Any, tab: str = "waiting") -> QuerySet[Case]:
    """ "My queue": waiting for me, overdue (red) or supervised open cases in my scope; the
    most urgent first (urgent flag, then the nearest deadline)."""
    cases = Case.objects.visible_to(actor)
    if tab == "overdue":
        cases = cases.filter(state__in=OPEN_STATES, alert=Alert.RED)
    elif tab == "supervised":
        cases = cases.filter(state__in=OPEN_STATES).exclude(supervision="")
    else:
        cases = cases.filter(waiting_condition(actor))
    return _list_related(cases).order_by("-is_urgent", "due_at", "id")


def queue_counts(*, actor: Any) -> dict[str, int]:
    """The three tab counts in one aggregate over the actor's open cases."""
    return (
        Case.objects.visible_to(actor)
        .filter(state__in=OPEN_STATES)
        .aggregate(
            waiting=Count("pk", filter=waiting_condition(actor)),
            overdue=Count("pk", filter=Q(alert=Alert.RED)),
            supervised=Count("pk", filter=~Q(supervision="")),
        )
    )


def category_list(*, active_only: bool = True) -> QuerySet[Category]:
    categories = Category.objects.select_related("parent").order_by("sort", "code")
    if active_only:
        categories = categories.filter(is_active=True)
    return categories


def leaf_categories() -> QuerySet[Category]:
    return category_list().filter(parent__isnull=False, parent__is_active=True)


def notification_list(*, actor: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=actor).select_related("case")


def report_areas(*, actor: Any) -> QuerySet[Area]:
    """Areas the actor may report in: communities, residential areas and buildings in scope."""
    return (
        Area.objects.visible_to(actor)
        .filter(level__in=["community", "residential_area", "building"])
        .order_by("path")
    )


def case_area_filter_choices(*, actor: Any) -> QuerySet[Area]:
    """Streets and communities in the actor's scope, for the subtree filter."""
    return Area.objects.visible_to(actor).filter(level__in=["street", "community"]).order_by("path")


def attachment_get(*, actor: Any, pk: int) -> CaseAttachment:
    """A photo of a case the actor sees (404 otherwise, as if it did not exist)."""
    return get_object_or_404(
        CaseAttachment.objects.select_related("case"),
        pk=pk,
        case__in=Case.objects.visible_to(actor).values("pk"),
    )
