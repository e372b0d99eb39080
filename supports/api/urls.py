from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    """This app's viewsets on the API's one router."""
    router.register("service-centres", views.CentreViewSet, basename="service-centre")
    router.register("centre-rooms", views.RoomViewSet, basename="centre-room")
    router.register("room-bookings", views.BookingViewSet, basename="room-booking")
    router.register("service-records", views.RecordViewSet, basename="service-record")
    router.register("service-counts", views.ServiceCountViewSet, basename="service-count")
    router.register("studio-sessions", views.SessionViewSet, basename="studio-session")
    router.register("studio-problems", views.ProblemViewSet, basename="studio-problem")
    router.register("fund-budgets", views.BudgetViewSet, basename="fund-budget")
    router.register("fund-spendings", views.SpendingViewSet, basename="fund-spending")
    router.register("fund-checks", views.FundCheckViewSet, basename="fund-check")
    router.register("worker-roster", views.RosterViewSet, basename="worker-roster")
    router.register("recruitment-rounds", views.RoundViewSet, basename="recruitment-round")
    router.register("recruitment-applicants", views.ApplicantViewSet, basename="applicant")
    router.register("worker-appraisals", views.AppraisalViewSet, basename="worker-appraisal")
    router.register("worker-promotions", views.PromotionViewSet, basename="worker-promotion")
