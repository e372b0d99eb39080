from django.urls import path

from common.db import read_heavy

from . import views

app_name = "dashboards"

# Every dashboard page only reads: with a replica configured, its reads go there (common.db).
urlpatterns = [
    path("", read_heavy(views.home), name="home"),
    path("cases/", read_heavy(views.figure_cases), name="cases"),
    path("seed/", read_heavy(views.seed), name="seed"),
    path("coverage/", read_heavy(views.coverage), name="coverage"),
    path("screen/", read_heavy(views.screen), name="screen"),
    path("screen/panel/", read_heavy(views.screen_panel), name="screen_panel"),
    path("map/", read_heavy(views.map_page), name="map"),
    path("map/grids.json", read_heavy(views.map_data), name="map_data"),
    path("report/", read_heavy(views.report), name="report"),
    path("report.pdf", read_heavy(views.report_pdf), name="report_pdf"),
    path("direct/", read_heavy(views.direct), name="direct"),
]
