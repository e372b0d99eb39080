"""/property/: the 红色物业 hub. Property staff get their company's desk: open complaints with
their deadlines, council resolutions they own, their areas' survey results."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.roles import Role
from accounts.scoping import scope_of
from cases.models import OPEN_STATES

from .. import figures, policies, selectors
from ..models import ComplaintKind, Survey
from ._base import need


@login_required
def home(request: HttpRequest) -> HttpResponse:
    need(policies.can_use(request.user))
    actor = request.user
    context: dict[str, object] = {"tab": "home", "company_staff": policies.is_company_staff(actor)}
    if policies.can_read_area_ledgers(actor):
        context["figures"] = figures.seed_figures(actor)
    companies = sorted(scope_of(actor).company_ids([Role.PROPERTY_STAFF]))
    if companies:
        open_complaints = selectors.complaint_list(
            actor=actor, kind=ComplaintKind.COMPLAINT, state="open", ordering="due"
        ).filter(company_id__in=companies)
        context["open_complaints"] = list(open_complaints[:20])
        context["open_count"] = open_complaints.count()
        context["overdue_count"] = open_complaints.filter(case__alert="red").count()
        context["warning_count"] = open_complaints.filter(case__alert="yellow").count()
        resolutions = list(selectors.resolution_list(actor=actor, state="open", mine=True)[:20])
        for r in resolutions:
            selectors.resolution_flags(r)
        context["resolutions"] = resolutions
        year = timezone.localdate().year
        surveys = Survey.objects.visible_to(actor).filter(
            company_id__in=companies, period_start__year__gte=year - 1
        )
        context["surveys"] = selectors.survey_results(
            surveys.order_by("-period_start", "area_path")
        )[:30]
    elif policies.can_keep_any(actor) or policies.can_read_area_ledgers(actor):
        context["open_resolutions"] = selectors.resolution_list(actor=actor, state="open").count()
        context["overdue_resolutions"] = selectors.resolution_list(
            actor=actor, alert="overdue"
        ).count()
        context["open_complaints_count"] = selectors.complaint_list(
            actor=actor, kind=ComplaintKind.COMPLAINT, state="open"
        ).count()
        context["expiring_committees"] = selectors.committee_list(
            actor=actor, status="expiring"
        ).count()
    else:
        context["resolutions"] = [
            r for r in selectors.resolution_list(actor=actor, state="open", mine=True)[:20]
        ]
        for r in context["resolutions"]:  # type: ignore[attr-defined]
            selectors.resolution_flags(r)
    context["open_states"] = OPEN_STATES
    return render(request, "property_mgmt/home.html", context)
