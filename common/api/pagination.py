from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    """Page-number pagination; `page_size` may be asked for up to 200 rows."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200
