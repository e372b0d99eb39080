"""The stats API (``/api/v1/stats/…``): the dashboards' figures as JSON for outside screens.

Every endpoint answers for the caller's scope, like ``/dashboard/``: ``?area=<id>`` narrows a
district or street user's territory (404 outside it), ``?unit=department:<id>`` picks one of
the caller's units, ``?period=month|quarter|year|custom`` with ``from`` / ``to`` (YYYY-MM)
picks the months. The security administrator and the auditor get 403 (三员分立).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from common.db import ReplicaReadsMixin
from dashboards import selectors
from dashboards.periods import Period, period_from
from dashboards.policies import can_view_dashboard
from dashboards.seed import seed_figures
from dashboards.territory import Territory, territory_for

from . import serializers as s

SCOPE_PARAMETERS = [
    OpenApiParameter("area", OpenApiTypes.INT, description="a street or community in scope"),
    OpenApiParameter("unit", OpenApiTypes.STR, description="department:<id> or company:<id>"),
]
PERIOD_PARAMETERS = [
    OpenApiParameter("period", OpenApiTypes.STR, enum=["month", "quarter", "year", "custom"]),
    OpenApiParameter("from", OpenApiTypes.STR, description="YYYY-MM (custom)"),
    OpenApiParameter("to", OpenApiTypes.STR, description="YYYY-MM (custom)"),
]
CASE_SECTIONS = frozenset({"kpis", "trend", "areas", "breakdowns", "units"})


def _period_json(period: Period) -> dict[str, Any]:
    return {
        "kind": period.kind,
        "first_day": period.first,
        "last_day": period.last_day,
        "label": period.label,
    }


class StatsViewSet(ReplicaReadsMixin, viewsets.ViewSet):
    """The dashboards' figures: the seed report's, the cases', the appraisal rankings."""

    def _allowed(self, request: Request) -> None:
        if not can_view_dashboard(request.user):
            raise exceptions.PermissionDenied()

    def _territory(self, request: Request) -> Territory:
        params = request.query_params
        base = territory_for(request.user, unit=params.get("unit", ""))
        if params.get("area") and not base.is_unit:
            return territory_for(request.user, area_id=params.get("area"))
        return base

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def list(self, request: Request) -> Response:
        """The stats endpoints."""
        self._allowed(request)
        return Response(
            {
                name: reverse(f"stats-{name}", request=request)
                for name in ("seed-figures", "cases", "rankings")
            }
        )

    @extend_schema(responses=s.SeedFiguresSerializer)
    @action(detail=False, url_path="seed-figures", url_name="seed-figures")
    def seed_figures(self, request: Request) -> Response:
        """The seed report's figures that the portal records, counted live in the caller's
        scope (the whole district for district users), with the report's number and the
        address of the rows behind each value. A figure whose records do not exist yet is
        absent, never invented."""
        self._allowed(request)
        return Response({"figures": [f.as_json() for f in seed_figures(request.user)]})

    @extend_schema(parameters=SCOPE_PARAMETERS + PERIOD_PARAMETERS, responses=s.CaseStatsSerializer)
    @action(detail=False, url_path="cases", url_name="cases")
    def cases(self, request: Request) -> Response:
        """Case statistics of the period (cases reported in it): headline figures with the
        previous period and the same period a year before, and the tables of the dashboard
        (trend, areas, states, tiers, sources, categories, lead units, handling times,
        supervision). Every value carries the URL of its cases."""
        self._allowed(request)
        territory = self._territory(request)
        period = period_from(request.query_params)
        board = selectors.case_dashboard(
            actor=request.user, territory=territory, period=period, sections=CASE_SECTIONS
        )
        return Response(
            {
                "territory": territory.as_json(),
                "period": _period_json(period),
                "previous": _period_json(period.previous()),
                "year_before": _period_json(period.year_before()),
                "kpis": [k.as_json() for k in board.kpis],
                "tables": [t.as_json() for t in board.tables.values()],
                "computed_at": timezone.now(),
            }
        )

    @extend_schema(parameters=SCOPE_PARAMETERS + PERIOD_PARAMETERS, responses=s.RankingsSerializer)
    @action(detail=False, url_path="rankings", url_name="rankings")
    def rankings(self, request: Request) -> Response:
        """The appraisal rankings of the scope, with the weights and the formula in force; a
        department or company sees its own row and position only."""
        self._allowed(request)
        territory = self._territory(request)
        period = period_from(request.query_params)
        board = selectors.case_dashboard(
            actor=request.user, territory=territory, period=period, sections=frozenset({"rankings"})
        )
        return Response(
            {
                "territory": territory.as_json(),
                "period": _period_json(period),
                "rankings": [r.as_json() for r in board.rankings],
            }
        )
