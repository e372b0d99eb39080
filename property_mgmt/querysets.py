"""``visible_to(actor)`` for every table of the app.

Every row carries ``area_path``: a street or community grant sees its subtree. Property staff
see their company's rows (contracts, complaints, surveys, resolutions it owns, meetings it
attended) and, for the rows of an area, the residential areas their company holds a current
contract for ("company → its contracted areas"). Department liaisons see the council meetings
their department attended and the resolutions it owns. Subqueries are semi-joins
(``IN (SELECT …)``), so a row is never repeated.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from accounts.roles import Role
from accounts.scoping import Scope, ScopedQuerySet, any_of


def _model(queryset: Any, name: str) -> Any:
    return queryset.model._meta.apps.get_model("property_mgmt", name)


def contracted_area_ids(queryset: Any, company_ids: list[int]) -> Any:
    """The residential areas the companies hold a contract for today (a subquery)."""
    today = timezone.localdate()
    return (
        _model(queryset, "ServiceContract")
        .objects.filter(company_id__in=company_ids, starts_on__lte=today, ends_on__gte=today)
        .values("area_id")
    )


class PropertyQuerySet(ScopedQuerySet[Any]):
    """Area grants by ``area_path``; companies by ``scope_company``; with
    ``scope_contracted_area`` set, also the rows of the company's contracted areas."""

    scope_area_path = "area_path"
    scope_contracted_area: str | None = None

    def scope_condition(self, scope: Scope) -> Q | None:
        parts: list[Q] = []
        base = super().scope_condition(scope)
        if base is not None:
            parts.append(base)
        companies = sorted(scope.company_ids([Role.PROPERTY_STAFF]))
        if companies and self.scope_contracted_area:
            parts.append(
                Q(**{f"{self.scope_contracted_area}__in": contracted_area_ids(self, companies)})
            )
        return any_of(parts)


class ContractQuerySet(PropertyQuerySet):
    scope_company = "company_id"

    def valid_on(self, day: Any) -> ContractQuerySet:
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class EstateQuerySet(PropertyQuerySet):
    scope_contracted_area = "area_id"


class CommitteeQuerySet(PropertyQuerySet):
    scope_contracted_area = "area_id"

    def current(self, day: Any = None) -> CommitteeQuerySet:
        day = day or timezone.localdate()
        return self.filter(term_starts_on__lte=day, term_ends_on__gte=day)


class CommitteeMemberQuerySet(PropertyQuerySet):
    scope_contracted_area = "committee__area_id"


class ComplaintQuerySet(PropertyQuerySet):
    scope_company = "company_id"


class SurveyQuerySet(PropertyQuerySet):
    scope_company = "company_id"


class SurveyAnswerQuerySet(PropertyQuerySet):
    scope_company = "company_id"


class MediationQuerySet(PropertyQuerySet):
    """Disputes are residents' matters: area grants only."""


class MeetingQuerySet(PropertyQuerySet):
    def scope_condition(self, scope: Scope) -> Q | None:
        parts: list[Q] = []
        base = super().scope_condition(scope)
        if base is not None:
            parts.append(base)
        attendees = _model(self, "MeetingAttendee").objects
        resolutions = _model(self, "Resolution").objects
        companies = sorted(scope.company_ids([Role.PROPERTY_STAFF]))
        departments = sorted(scope.department_ids([Role.DEPARTMENT_LIAISON]))
        if companies:
            parts.append(Q(pk__in=attendees.filter(company_id__in=companies).values("meeting_id")))
            parts.append(
                Q(pk__in=resolutions.filter(company_id__in=companies).values("meeting_id"))
            )
        if departments:
            parts.append(
                Q(pk__in=attendees.filter(department_id__in=departments).values("meeting_id"))
            )
            parts.append(
                Q(pk__in=resolutions.filter(department_id__in=departments).values("meeting_id"))
            )
        return any_of(parts)


class ResolutionQuerySet(PropertyQuerySet):
    scope_company = "company_id"
    scope_department = "department_id"

    def open(self) -> ResolutionQuerySet:
        return self.filter(state__in=["open", "in_progress"])
