"""Open311 GeoReport v2 (``/open311/v2/``), so hotlines and outside apps can file and follow
cases with a standard client.

* ``services.json`` lists the second-level categories (public: no personal data).
* ``api_key`` is the key of an Open311 client (``accounts.Open311Client``): each outside system
  gets its own from the security administrator, acts as the portal account it was registered
  with and stays inside the areas and services it was registered for. A portal user's own API
  token is never an ``api_key`` (a query string ends up in logs); it goes in an
  ``Authorization: Token …`` header.
* ``requests.json`` (GET) and ``requests/<id>.json`` need a client key, a user's token or a
  session. They show only the cases that account (and that client) may see, exactly like the
  rest of the portal.
* ``requests.json`` (POST) needs a client key (GeoReport v2: ``api_key`` is required) and files a
  case in the name of the client's account, which needs a reporting role covering the place,
  located by ``address_id`` (the area code, 区划代码, of a community, residential area or
  building), else by ``lat``/``long`` on the grid map, else by the area names in
  ``address_string``; ``service_request_id`` is the case number. An unknown or switched-off
  key is a 403, a place or service outside the client's registration a 403 too.
* ``discovery.json`` (public) describes the endpoint.
* Statuses: ``closed`` for closed, rejected and merged cases, ``open`` otherwise; ``status_notes``
  gives the portal's own state.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import ApiTokenAuthentication, Open311KeyAuthentication
from accounts.models import Open311Client
from cases import selectors, services
from cases.locating import Place, areas_in_text, place_at_point
from cases.models import OPEN_STATES, Case, CaseSource, Category
from common.errors import validation_messages
from governance.models import Area

from .policies import client_cases, client_covers

MAX_REQUESTS = 1000
#: When the endpoint's behaviour last changed (GeoReport v2 discovery's ``changeset``).
DISCOVERY_CHANGESET = "2026-12-02T00:00:00+08:00"
DEFAULT_DAYS = 90


def _error(code: int, description: str) -> Response:
    return Response([{"code": code, "description": description}], status=code)


class Open311View(APIView):
    authentication_classes = [
        Open311KeyAuthentication,
        ApiTokenAuthentication,
        SessionAuthentication,
    ]
    parser_classes = [FormParser, MultiPartParser, JSONParser]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Http404):
            return _error(404, _("未找到该请求。"))
        if isinstance(exc, PermissionDenied):
            return _error(403, str(exc) or _("无权执行该操作。"))
        if isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(validation_messages(exc))
        if isinstance(exc, exceptions.APIException):
            code = exc.status_code
            detail = exc.detail
            if isinstance(detail, dict):
                text = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in detail.items())
            else:
                text = str(detail)
            response = _error(code, text)
            if code == status.HTTP_401_UNAUTHORIZED:
                response["WWW-Authenticate"] = 'Token realm="api"'
            return response
        raise exc


def service_json(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": category.parent.name if category.parent else "",
        "group": category.parent.name if category.parent else "",
    }


def request_json(case: Case) -> dict[str, Any]:
    return {
        "service_request_id": case.number,
        "status": "open" if case.state in OPEN_STATES else "closed",
        "status_notes": case.get_state_display(),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.description,
        "agency_responsible": case.community.name,
        "service_notice": "",
        "requested_datetime": case.created_at.isoformat(),
        "updated_datetime": case.updated_at.isoformat(),
        "expected_datetime": case.due_at.isoformat() if case.due_at else None,
        "address": " ".join(x for x in (case.area.name, case.address) if x),
        "address_id": case.area.code,
        "zipcode": None,
        "lat": float(case.latitude) if case.latitude is not None else None,
        "long": float(case.longitude) if case.longitude is not None else None,
        # Photos are served only to signed-in portal users.
        "media_url": None,
    }


class ServicesView(Open311View):
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        return Response([service_json(c) for c in selectors.leaf_categories()])


def _day(value: str | None, field: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
        day = parse_date(value) if parsed is None else None
    except ValueError:  # well formed, not a date (2026-99-99)
        parsed = day = None
    if parsed is None:
        if day is None:
            raise exceptions.ValidationError({field: [_("日期格式应为 ISO 8601。")]})
        parsed = datetime.combine(day, time.min)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


class RequestsView(Open311View):
    def get_permissions(self) -> list[Any]:
        # A POST without any credentials is told that api_key is required (GeoReport v2).
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def _cases(self, request: Request) -> QuerySet[Case]:
        cases = client_cases(
            request.auth,
            Case.objects.visible_to(request.user).select_related("category", "community", "area"),
        )
        params = request.query_params
        numbers = [n for n in params.get("service_request_id", "").split(",") if n]
        if numbers:
            return cases.filter(number__in=numbers[:MAX_REQUESTS])
        start = _day(params.get("start_date"), "start_date")
        end = _day(params.get("end_date"), "end_date")
        if start is None and end is None:
            start = timezone.now() - timedelta(days=DEFAULT_DAYS)
        if start is not None:
            cases = cases.filter(created_at__gte=start)
        if end is not None:
            cases = cases.filter(created_at__lte=end)
        codes = [c for c in params.get("service_code", "").split(",") if c]
        if codes:
            cases = cases.filter(category__code__in=codes)
        wanted = params.get("status", "")
        if wanted == "open":
            cases = cases.filter(state__in=OPEN_STATES)
        elif wanted == "closed":
            cases = cases.filter(~Q(state__in=OPEN_STATES))
        elif wanted:
            raise exceptions.ValidationError({"status": [_("须为 open 或 closed。")]})
        return cases.order_by("-created_at", "-id")

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        cases = self._cases(request)[:MAX_REQUESTS]
        return Response([request_json(c) for c in cases])

    @extend_schema(exclude=True)
    def post(self, request: Request) -> Response:
        client = request.auth
        if not isinstance(client, Open311Client):
            raise exceptions.ValidationError(
                {"api_key": [_("必须提供 api_key（由安全管理员为外部系统登记发放）。")]}
            )
        data: Any = request.data
        code = (data.get("service_code") or "").strip()
        category = selectors.leaf_categories().select_related("parent").filter(code=code).first()
        if category is None:
            raise exceptions.ValidationError({"service_code": [_("未知的服务类别。")]})
        longitude, latitude = _decimal(data.get("long"), "long"), _decimal(data.get("lat"), "lat")
        address = (data.get("address_string") or "").strip()
        place = _place(request.user, data, longitude, latitude, address)
        area = place.area
        if not client_covers(client, area_path=area.path, category=category):
            raise PermissionDenied(_("该 api_key 未登记此区域或此服务类别。"))
        description = (data.get("description") or "").strip()
        parts = [(data.get(k) or "").strip() for k in ("last_name", "first_name")]
        name = "".join(parts)
        case = services.case_report(
            actor=request.user,
            category=category,
            area=area,
            title=f"{category.name}：{description[:40]}",
            description=description,
            address=address[:200],
            longitude=longitude,
            latitude=latitude,
            source=CaseSource.OPEN311,
            contact_name=name[:50],
            contact_phone=(data.get("phone") or "").strip()[:20],
        )
        notice = _("已受理，定位到%(place)s。") % {"place": _place_name(case, place)}
        return Response(
            [{"service_request_id": case.number, "service_notice": notice, "account_id": None}],
            status=status.HTTP_201_CREATED,
        )


def _place(
    actor: Any, data: Any, longitude: Decimal | None, latitude: Decimal | None, address: str
) -> Place:
    """Where the request is: ``address_id`` (an area code) if given, else the grid of
    ``lat``/``long`` on the grid map, else the areas named in ``address_string``."""
    area_code = (data.get("address_id") or "").strip()
    if area_code:
        area = Area.objects.filter(code=area_code).first()
        if area is None:
            raise exceptions.ValidationError({"address_id": [_("未知的区划代码。")]})
        return Place(area=area)
    if (longitude is None) != (latitude is None):
        raise exceptions.ValidationError({"lat": [_("lat 与 long 须同时提供。")]})
    if longitude is not None and latitude is not None:
        place = place_at_point(actor=actor, longitude=float(longitude), latitude=float(latitude))
        if place is not None:
            return place
        if not address:
            raise exceptions.ValidationError(
                {"lat": [_("该位置不在您可上报的任何网格内，请提供 address_string。")]}
            )
    if address:
        found = areas_in_text(actor=actor, text=address)
        if len(found) == 1:
            return Place(area=found[0])
        if found:
            raise exceptions.ValidationError(
                {
                    "address_string": [
                        _("地址不明确，可能是：%(places)s")
                        % {"places": "、".join(area_path_names(a) for a in found[:5])}
                    ]
                }
            )
        raise exceptions.ValidationError(
            {"address_string": [_("地址中没有可识别的社区、小区或楼栋名称。")]}
        )
    raise exceptions.ValidationError(
        {"address_id": [_("请提供 lat/long、address_string 或 address_id（区划代码）。")]}
    )


def _place_name(case: Case, place: Place) -> str:
    name = area_path_names(case.area)
    return f"{name}（{place.grid_name}）" if place.grid_name else name


def area_path_names(area: Area) -> str:
    """The area's names from its community down: 运河社区 / 运河花园 / 1号楼."""
    step = Area.steplen
    paths = [area.path[:end] for end in range(3 * step, len(area.path) + 1, step)]
    names = dict(Area.objects.filter(path__in=paths).values_list("path", "name"))
    return " / ".join(names[p] for p in paths if p in names)


class DiscoveryView(Open311View):
    """GeoReport v2 service discovery: where the endpoint is and what it speaks."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "changeset": DISCOVERY_CHANGESET,
                "contact": _("区城市运行管理服务中心"),
                "key_service": _(
                    "api_key 由区安全管理员为每个外部系统登记发放，限定区域和服务类别。"
                ),
                "endpoints": [
                    {
                        "specification": "http://wiki.open311.org/GeoReport_v2",
                        "url": request.build_absolute_uri(reverse("open311-services")).rsplit(
                            "/", 1
                        )[0],
                        "changeset": DISCOVERY_CHANGESET,
                        "type": "production",
                        "formats": ["application/json"],
                    }
                ],
            }
        )


def _decimal(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.000001"))
    except InvalidOperation as exc:
        raise exceptions.ValidationError({field: [_("须为数字。")]}) from exc


class RequestView(Open311View):
    permission_classes = [IsAuthenticated]

    @extend_schema(exclude=True)
    def get(self, request: Request, number: str) -> Response:
        case = (
            client_cases(request.auth, Case.objects.visible_to(request.user))
            .select_related("category", "community", "area")
            .filter(number=number)
            .first()
        )
        if case is None:
            raise Http404
        return Response([request_json(case)])
