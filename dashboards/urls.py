from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.figure_cases, name="cases"),
    path("seed/", views.seed, name="seed"),
    path("coverage/", views.coverage, name="coverage"),
    path("screen/", views.screen, name="screen"),
    path("screen/panel/", views.screen_panel, name="screen_panel"),
    path("map/", views.map_page, name="map"),
    path("map/grids.json", views.map_data, name="map_data"),
    path("report/", views.report, name="report"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("direct/", views.direct, name="direct"),
]
