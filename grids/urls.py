from django.urls import path

from . import views

app_name = "grids"

urlpatterns = [
    path("", views.grid_list, name="grid_list"),
    path("new/", views.grid_create, name="grid_create"),
    path("map/", views.grid_map, name="grid_map"),
    path("locate/", views.grid_locate, name="grid_locate"),
    path("staffing/", views.staffing_breaches, name="staffing_breaches"),
    path("staffing/<int:pk>/end/", views.staffing_end, name="staffing_end"),
    path("<int:pk>/", views.grid_detail, name="grid_detail"),
    path("<int:pk>/edit/", views.grid_edit, name="grid_edit"),
    path("<int:pk>/cover/", views.grid_cover, name="grid_cover"),
    path("<int:pk>/cover/<int:coverage_pk>/remove/", views.grid_uncover, name="grid_uncover"),
    path("<int:pk>/staff/", views.staffing_add, name="staffing_add"),
    path("workers/", views.worker_list, name="worker_list"),
    path("workers/new/", views.worker_create, name="worker_create"),
    path("workers/<int:pk>/", views.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/edit/", views.worker_edit, name="worker_edit"),
    path("workers/<int:pk>/grade/", views.worker_grade, name="worker_grade"),
    path("workers/<int:pk>/training/", views.worker_training, name="worker_training"),
    path("stations/", views.station_list, name="station_list"),
    path("stations/new/", views.station_create, name="station_create"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("stations/<int:pk>/edit/", views.station_edit, name="station_edit"),
    path("stations/<int:pk>/posts/", views.model_post_add, name="model_post_add"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/followed-up/", views.visit_followed_up, name="visit_followed_up"),
]
