from rest_framework.pagination import CursorPagination


class ClaimCursorPagination(CursorPagination):
    """Cursor pagination: stable while rows are added, with a bounded `page_size`."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
