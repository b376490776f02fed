"""The base of every API viewset: read-only, scoped to the user, answering conditional GETs."""

from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from rest_framework import viewsets


class ReadOnlyApiViewSet(viewsets.ReadOnlyModelViewSet):
    """Lists and details of `queryset.visible_to(user).for_api(user)` (or of a subclass's `get_queryset`,
    for models whose visibility `claims.reads` decides), filtered by `filterset_class`.

    Access is the queryset's: a row the user may not read is missing from
    lists and counts and gives 404 on detail, the same as a row that does not
    exist. Subclasses set `queryset`, `serializer_class` and `filterset_class`.

    Caching: a 200 carries an ETag hashed from the rendered body (as Django's
    ConditionalGetMiddleware does), so it changes with anything the response
    shows (a source's regrading, a new relation, a deleted attribution) and
    with what this user may see; a request whose If-None-Match matches gets a
    304 without the body. It saves bandwidth and client work, not queries.
    """

    # Any path segment reaches the view, so a malformed id is a JSON 404 like a missing one, not an HTML page.
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        user = self.request.user
        return super().get_queryset().visible_to(user).for_api(user)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if hasattr(response, "render"):  # not a cached export (`claims.api.exports`), already bytes
            response.render()
        if not response.has_header("ETag"):  # the standards exports set theirs before building the body
            set_response_etag(response)
        # Per-user content: browsers may keep it, shared caches may not; always revalidate.
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return get_conditional_response(request, etag=response["ETag"], response=response)
