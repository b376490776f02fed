from rest_framework.pagination import CursorPagination


class ClaimCursorPagination(CursorPagination):
    """Cursor pagination: stable while rows are added, with a bounded `page_size`.

    Pages by `-id` unless the FilterSet ordered the queryset (the claims'
    `ordering` filter allows only fields that never change); ties on a
    non-unique field are broken by id.
    """

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        requested = [field for field in queryset.query.order_by if isinstance(field, str)]
        if not requested:
            return (self.ordering,)
        first = requested[0]
        if first.lstrip("-") == "id":
            return (first,)
        return (first, "-id" if first.startswith("-") else "id")

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        descriptions = {
            "next": "Link to the next page (opaque cursor, stable while claims are added); null on the last page.",
            "previous": "Link to the previous page; null on the first page.",
            "results": "This page's items.",
        }
        for name, description in descriptions.items():
            paginated["properties"][name]["description"] = description
        return paginated
