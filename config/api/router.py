"""The API's one router: every app registers its viewsets here, so /api/v1/ lists them all."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
