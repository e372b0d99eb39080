from rest_framework.routers import DefaultRouter

from . import service_views, views


def register(router: DefaultRouter) -> None:
    """This app's viewsets on the API's one router."""
    router.register("unit-checkins", views.UnitCheckInViewSet, basename="unit-checkin")
    router.register("unit-resources", views.ResourceViewSet, basename="unit-resource")
    router.register("cobuild-needs", views.CommunityNeedViewSet, basename="cobuild-need")
    router.register("cobuild-projects", views.ProjectViewSet, basename="cobuild-project")
    router.register("member-checkins", views.MemberCheckInViewSet, basename="member-checkin")
    router.register("campaigns", views.CampaignViewSet, basename="campaign")
    router.register("campaign-signups", views.SignupViewSet, basename="campaign-signup")
    router.register("volunteer-teams", service_views.TeamViewSet, basename="volunteer-team")
    router.register("volunteers", service_views.VolunteerViewSet, basename="volunteer")
    router.register(
        "volunteer-activities", service_views.ActivityViewSet, basename="volunteer-activity"
    )
    router.register(
        "volunteer-attendance", service_views.AttendanceViewSet, basename="volunteer-attendance"
    )
    router.register("service-points", service_views.PointsViewSet, basename="service-points")
    router.register("wishes", service_views.WishViewSet, basename="wish")
    router.register("points-shop", service_views.ShopItemViewSet, basename="points-shop-item")
    router.register("micro-services", service_views.MicroServiceViewSet, basename="micro-service")
