from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    """This app's viewsets on the API's one router."""
    router.register("stats", views.StatsViewSet, basename="stats")
