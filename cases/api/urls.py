from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("cases", views.CaseViewSet, basename="case")
    router.register("case-categories", views.CategoryViewSet, basename="case-category")
    router.register("work-calendar", views.WorkCalendarViewSet, basename="work-calendar")
    router.register("case-notifications", views.NotificationViewSet, basename="case-notification")
