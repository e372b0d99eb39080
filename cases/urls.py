from django.urls import path

from . import place_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("new/place/", place_views.case_new_place, name="new_place"),
    path("queue/", views.case_queue, name="queue"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("photos/<int:pk>/", views.case_photo, name="photo"),
    path("photos/<int:pk>/thumb/", views.case_photo, {"which": "thumb"}, name="photo_thumb"),
    path("<int:pk>/transition/", views.case_transition, name="transition"),
]
