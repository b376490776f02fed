from django.core.exceptions import ValidationError as ModelValidationError
from rest_framework.exceptions import NotFound, ValidationError
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

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model  # for decode_cursor, which DRF calls without the queryset
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """A cursor whose position does not fit the ordering field is as invalid as a garbled one: 404."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            field = self._model._meta.get_field(self.ordering[0].lstrip("-"))
            try:
                field.to_python(cursor.position)
            except (ModelValidationError, ValueError, TypeError):
                raise NotFound(self.invalid_cursor_message) from None
        return cursor

    def get_page_size(self, request):
        """`page_size`: a whole number from 1, capped at `max_page_size`; anything else is a 400 naming it."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            message = f"A whole number from 1 to {self.max_page_size} (larger ones are capped)."
            raise ValidationError({self.page_size_query_param: [message]})
        return min(size, self.max_page_size)

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
