from django.urls import path

from . import preferences, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("audit/", views.audit_log, name="audit_log"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/clear/", views.lockout_clear, name="lockout_clear"),
    path("text-size/", preferences.text_size, name="text_size"),
]
