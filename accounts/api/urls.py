from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("auth/token", views.TokenViewSet, basename="auth-token")
    router.register("me", views.MeViewSet, basename="me")
    router.register("audit-events", views.AuditEventViewSet, basename="audit-event")
