from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    """This app's viewsets on the API's one router."""
    router.register("property/companies", views.CompanyViewSet, basename="property-company")
    router.register("property/contracts", views.ContractViewSet, basename="property-contract")
    router.register("property/committees", views.CommitteeViewSet, basename="property-committee")
    router.register("property/meetings", views.MeetingViewSet, basename="property-meeting")
    router.register("property/resolutions", views.ResolutionViewSet, basename="property-resolution")
    router.register("property/complaints", views.ComplaintViewSet, basename="property-complaint")
    router.register("property/surveys", views.SurveyViewSet, basename="property-survey")
    router.register("property/stats", views.PropertyStatsViewSet, basename="property-stats")
