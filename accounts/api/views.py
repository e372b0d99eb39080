from typing import Any

import django_filters
from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import selectors, token_services
from accounts.models import ApiToken, AuditLog
from accounts.throttling import ProxyAwareScopedRateThrottle
from accounts.two_factor.policies import requires_two_factor
from accounts.two_factor.selectors import has_device
from accounts.two_factor.services import two_factor_verify
from accounts.views import LOCKED_MESSAGE

from .serializers import AuditEventSerializer, MeSerializer, TokenRequestSerializer, TokenSerializer


class Locked(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = LOCKED_MESSAGE
    default_code = "locked"


def _second_factor(user: Any, code: str, request: Request) -> None:
    """A token is a login: whoever the web asks for a code gives it here too (a privileged
    role without an authenticator binds one on the web first)."""
    required = requires_two_factor(user)
    if not (required or has_device(user)):
        return
    if not has_device(user):
        raise exceptions.AuthenticationFailed(
            _("该账号须使用双因素认证：请先在网页上绑定验证器，再申请令牌。"),
            code="two_factor_required",
        )
    if not code.strip():
        raise exceptions.AuthenticationFailed(
            _("该账号已启用双因素认证：请在 otp_code 中填写验证器中的 6 位数字。"),
            code="two_factor_required",
        )
    try:
        two_factor_verify(user=user, code=code, request=request._request, session=False)
    except ValidationError as exc:
        raise exceptions.AuthenticationFailed(
            "；".join(exc.messages), code="two_factor_failed"
        ) from None


class TokenViewSet(viewsets.ViewSet):
    """Exchange a username and password for a new named API token (`POST /api/v1/auth/token/`).
    Each call makes another token, which expires and is revoked on its own; the key is in this
    answer only. Send it as `Authorization: Token <key>`."""

    permission_classes = [AllowAny]
    throttle_classes = [ProxyAwareScopedRateThrottle]
    throttle_scope = "token"
    serializer_class = TokenRequestSerializer

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def create(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = authenticate(
                request._request,
                username=serializer.validated_data["username"],
                password=serializer.validated_data["password"],
            )
        except AxesBackendPermissionDenied:
            raise Locked() from None
        if getattr(request._request, "axes_locked_out", False):
            raise Locked()
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(_("用户名或密码不正确。"))
        _second_factor(user, serializer.validated_data.get("otp_code", ""), request)
        token, key = token_services.api_token_issue(
            user=user,
            name=serializer.validated_data.get("name", ""),
            days=serializer.validated_data.get("expires_in_days"),
            request=request,
        )
        data = {
            "token": key,
            "name": token.name,
            "prefix": token.prefix,
            "expires_at": token.expires_at,
        }
        return Response(TokenSerializer(data).data, status=status.HTTP_200_OK)

    @extend_schema(request=None, responses={204: None})
    @action(detail=False, methods=["post"], permission_classes=[], throttle_classes=[])
    def revoke(self, request: Request) -> Response:
        """Revoke the token this request carries (log out this API client); the caller's other
        tokens keep working."""
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        if not isinstance(request.auth, ApiToken):
            message = _("本请求未携带 API 令牌；其他令牌请在“我的 API 令牌”页吊销。")
            raise exceptions.ValidationError({"non_field_errors": [message]})
        token_services.api_token_revoke(actor=request.user, token=request.auth, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeViewSet(viewsets.ViewSet):
    """Who the caller is and the roles and scopes they hold."""

    serializer_class = MeSerializer

    @extend_schema(responses=MeSerializer)
    def list(self, request: Request) -> Response:
        user = request.user
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "full_name": getattr(user, "full_name", ""),
            "grants": selectors.grant_list_for(user),
        }
        return Response(MeSerializer(data).data)


class AuditEventFilter(django_filters.FilterSet):
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditLog
        fields = ["action", "outcome", "username"]


class AuditEventViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The append-only audit log: auditor and security administrator only."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    ordering_fields = ["at", "username", "action"]
    search_fields = ["username", "object_repr"]

    def get_queryset(self) -> QuerySet[AuditLog]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real user
            return AuditLog.objects.none()
        return selectors.audit_log_list(actor=self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)
