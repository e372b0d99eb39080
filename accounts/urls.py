from django.urls import path

from . import preferences, token_views, views
from .two_factor import views as two_factor

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("audit/", views.audit_log, name="audit_log"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/clear/", views.lockout_clear, name="lockout_clear"),
    path("text-size/", preferences.text_size, name="text_size"),
    path("tokens/", token_views.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", token_views.api_token_revoke, name="api_token_revoke"),
    path("two-factor/", two_factor.two_factor_home, name="two_factor"),
    path("two-factor/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("two-factor/enrol/", two_factor.two_factor_enrol, name="two_factor_enrol"),
    path(
        "two-factor/recovery-codes/",
        two_factor.recovery_codes_renew,
        name="two_factor_recovery_codes",
    ),
    # Not under two-factor/: only a session that passed the second factor reaches these.
    path("security/two-factor/", two_factor.reset_list, name="two_factor_resets"),
    path("security/two-factor/reset/", two_factor.two_factor_reset, name="two_factor_reset"),
]
