from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """This app's viewsets on the API's one router."""
