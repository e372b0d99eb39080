"""The supports overview (/supports/): the four supports of the seed report, each with the few
figures that say how it stands, for the sections the user may open."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from grids.models import Station

from .. import policies
from ..models import CentreLevel, ServiceCentre, ServiceRecord
from ..selectors import careers as career_selectors
from ..selectors import funds as fund_selectors
from ..selectors import studio as studio_selectors
from .base import require
from .funds import default_year


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(policies.can_use(user))
    year = timezone.localdate().year
    context: dict[str, Any] = {"year": year}
    if policies.can_view_centres(user):
        context["centres"] = ServiceCentre.objects.visible_to(user).aggregate(
            street=Count("pk", filter=Q(level=CentreLevel.STREET)),
            community=Count("pk", filter=Q(level=CentreLevel.COMMUNITY)),
        )
        context["stations"] = Station.objects.visible_to(user).filter(is_active=True).count()
        context["services"] = (
            ServiceRecord.objects.visible_to(user)
            .filter(served_on__year=year)
            .aggregate(n=Count("pk"), people=Sum("people"), kinds=Count("kind", distinct=True))
        )
    if policies.can_view_studio(user):
        studio = studio_selectors.studio_main(actor=user)
        if studio is not None:
            context["studio"] = studio
            context["studio_figures"] = studio_selectors.studio_figures(actor=user, studio=studio)
    if policies.can_view_funds(user):
        fund_year = default_year(request)
        rows = list(fund_selectors.fund_rows(actor=user, year=fund_year))
        context["funds"] = {
            "year": fund_year,
            "communities": len(rows),
            "flagged": sum(1 for row in rows if fund_selectors.flags_of(row)),
        }
    if policies.can_view_careers(user):
        rows = list(career_selectors.roster(actor=user))
        context["roster"] = {
            "quota": sum(row.quota for row in rows),
            "filled": sum(row.filled for row in rows),
            "vacancies": sum(max(row.vacancies, 0) for row in rows),
        }
    return render(request, "supports/home.html", context)
