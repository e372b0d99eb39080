from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("areas/", views.area_tree, name="area_tree"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("areas/<int:pk>/children/", views.area_children, name="area_children"),
    path("places/", views.place_search, name="place_search"),
    path("orgs/", views.org_tree, name="org_tree"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("orgs/<int:pk>/children/", views.org_children, name="org_children"),
    path("ledgers/", views.ledger_home, name="ledger_home"),
    path("ledgers/<str:key>/", views.ledger, name="ledger"),
    path("import/<str:kind>/", views.ledger_import, name="import"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/residents/", views.resident_create, name="resident_create"),
    path("households/<int:pk>/needs/", views.need_create, name="need_create"),
    path("residents/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("needs/<int:pk>/<str:action>/", views.need_transition, name="need_transition"),
]
