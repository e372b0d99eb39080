from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("grids", views.GridViewSet, basename="grid")
    router.register("grid-staffings", views.StaffingViewSet, basename="grid-staffing")
    router.register("community-workers", views.WorkerViewSet, basename="community-worker")
    router.register("grid-stations", views.StationViewSet, basename="grid-station")
    router.register("grid-visits", views.VisitViewSet, basename="grid-visit")
