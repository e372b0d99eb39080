"""One router for the whole API: each app's ``<app>/api/urls.py`` registers its viewsets."""

from importlib import import_module

from .router import router

#: Apps with an API, in the order their endpoints are listed at /api/v1/.
API_APPS = [
    "accounts",
    "governance",
    "cases",
    "grids",
    "volunteers",
    "property_mgmt",
    "supports",
    "dashboards",
]

for app in API_APPS:
    import_module(f"{app}.api.urls").register(router)

urlpatterns = router.urls
