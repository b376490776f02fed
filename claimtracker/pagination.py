"""Page numbers people type or keep in bookmarks: never a 404.

`/claims/?page=99` on a list of three pages answered Django's 404 (its debug
page in development, a bare "Not Found" in production). A list is still
there; the page number is only out of date. So a number past the end shows
the last page, anything that is not a page number shows the first, and a
message says so.
"""

from django.contrib import messages


class ForgivingPaginationMixin:
    """For ListView and FilterView: an out-of-range or malformed `page` shows the nearest page, with a note."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(), allow_empty_first_page=self.get_allow_empty()
        )
        asked = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or "1"
        page = paginator.get_page(paginator.num_pages if asked == "last" else asked)
        self.page_moved = asked not in {"last", str(page.number)}
        if self.page_moved:
            messages.info(
                self.request, f"There is no page “{asked}”: this is page {page.number} of {paginator.num_pages}."
            )
        return paginator, page, page.object_list, page.has_other_pages()


def page_of(request, items, per_page: int, *, page_kwarg: str = "page") -> dict:
    """A page of `items` for a detail page's long list (an entity's claims, a source's attributions), as the
    context `_pagination.html` reads: `page_obj`, `paginator`, `is_paginated`; forgiving like the mixin."""
    from django.core.paginator import Paginator

    paginator = Paginator(items, per_page)
    asked = request.GET.get(page_kwarg) or "1"
    page = paginator.get_page(paginator.num_pages if asked == "last" else asked)
    if asked not in {"last", str(page.number)}:
        messages.info(request, f"There is no page “{asked}”: this is page {page.number} of {paginator.num_pages}.")
    return {"page_obj": page, "paginator": paginator, "is_paginated": page.has_other_pages()}
