from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("areas", views.AreaViewSet, basename="area")
    router.register("party-orgs", views.PartyOrgViewSet, basename="party-org")
    router.register("households", views.HouseholdViewSet, basename="household")
    router.register("residents", views.ResidentViewSet, basename="resident")
    router.register("party-members", views.PartyMemberViewSet, basename="party-member")
    router.register("needs", views.NeedsLedgerViewSet, basename="need")
