from django.urls import path

from . import views

urlpatterns = [
    path("discovery.json", views.DiscoveryView.as_view(), name="open311-discovery"),
    path("services.json", views.ServicesView.as_view(), name="open311-services"),
    path("requests.json", views.RequestsView.as_view(), name="open311-requests"),
    path("requests/<str:number>.json", views.RequestView.as_view(), name="open311-request"),
]
