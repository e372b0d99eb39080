from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

admin.site.site_header = _("党建引领基层治理门户 · 后台管理")
admin.site.site_title = _("后台管理")
admin.site.index_title = _("数据维护")

urlpatterns = [
    path("", include("shell.urls")),
    path("accounts/", include("accounts.urls")),
    path("governance/", include("governance.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("grids/", include("grids.urls")),
    path("cases/", include("cases.urls")),
    path("open311/v2/", include("cases.open311.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("property/", include("property_mgmt.urls")),
    path("supports/", include("supports.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("exports/", include("common.urls")),
    path("imports/", include("common.import_urls")),
    path("api/v1/", include("config.api.urls")),
    # The schema and its viewer describe every endpoint: for logged-in users and API clients only.
    path(
        "api/schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="schema",
    ),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", permission_classes=[IsAuthenticated]
        ),
        name="swagger-ui",
    ),
]

handler400 = "shell.errors.bad_request"
handler403 = "accounts.views.permission_denied"
handler404 = "shell.errors.not_found"
handler500 = "shell.errors.server_error"

if getattr(settings, "BENCH_FLOOR_VIEW", False):
    # The framework's floor and the tuned admin `make bench` compares with (bench/urls.py).
    urlpatterns.append(path("bench/", include("bench.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
