from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets

from governance import selectors
from governance.models import Area

from .serializers import AreaSerializer

WITHIN = OpenApiParameter("within", OpenApiTypes.INT, description="只列出该区域（含）之下的区域")


@extend_schema_view(list=extend_schema(parameters=[WITHIN]))
class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The territory tree (区 → 街道 → 社区 → 小区 → 楼栋), cut to the caller's scope."""

    serializer_class = AreaSerializer
    filterset_fields = ["level", "is_active"]
    search_fields = ["name", "code"]
    ordering_fields = ["path", "name", "code"]
    ordering = ["path"]

    def get_queryset(self) -> QuerySet[Area]:
        within = self.request.query_params.get("within") if self.action == "list" else None
        if within is not None and not within.isdigit():
            raise exceptions.ValidationError({"within": ["须为区域编号（整数）。"]})
        return selectors.area_list(actor=self.request.user, within=int(within) if within else None)
