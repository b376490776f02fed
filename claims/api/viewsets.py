"""The base of every API viewset: read-only, scoped to the user, answering conditional GETs."""

import hashlib

from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from rest_framework import viewsets

# The permissions that decide what a user may see (`Claim.objects.visible_to`, `claims.reads`): the ETag of
# what a response shows depends on them, not on who the user is (every consumer sees the same claims).
SCOPE_PERMISSIONS = ["claims.view_claim", "claims.access_api", "sources.view_report", "sources.view_source"]


def derived_etag(request, fingerprint) -> str:
    """An ETag derived from what a response depends on rather than from its bytes: the request (its format
    and whole URL), what the user may see (their role) and `fingerprint` (a summary of the data shown, read
    in one cheap query), so that a conditional request is answered before anything is serialised."""
    user = request.user
    scope = "".join("1" if user.has_perm(permission) else "0" for permission in SCOPE_PERMISSIONS)
    renderer = getattr(request, "accepted_renderer", None)
    key = repr((getattr(renderer, "format", None), request.build_absolute_uri(), scope, fingerprint))
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:40] + '"'


def cache_privately(response):
    """Per-user content: browsers may keep it, shared caches may not; always revalidated."""
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Authorization", "Cookie"])
    return response


class ReadOnlyApiViewSet(viewsets.ReadOnlyModelViewSet):
    """Lists and details of `queryset.visible_to(user).for_api(user)` (or of a subclass's `get_queryset`,
    for models whose visibility `claims.reads` decides), filtered by `filterset_class`.

    Access is the queryset's: a row the user may not read is missing from
    lists and counts and gives 404 on detail, the same as a row that does not
    exist. Subclasses set `queryset`, `serializer_class` and `filterset_class`.

    Caching: a 200 carries an ETag, and a request whose If-None-Match matches
    it gets a 304 without the body. The claims' JSON and CSV derive theirs from
    the data (`derived_etag`), checked before anything is serialised, so a 304
    saves the work, not only the bandwidth. Other responses hash the rendered
    body (as Django's ConditionalGetMiddleware does), so it changes with
    anything the response shows and with what this user may see.
    """

    # Any path segment reaches the view, so a malformed id is a JSON 404 like a missing one, not an HTML page.
    lookup_value_regex = "[^/]+"

    def dispatch(self, request, *args, **kwargs):
        # Data, not interface: labels in JSON, CSV and the standards' exports stay English whatever the reader's
        # language (consumers parse them; ETags and the export cache do not vary by language). The schema and
        # its docs follow the reader's language.
        with translation.override("en"):
            return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        return super().get_queryset().visible_to(user).for_api(user)

    def not_modified(self, etag: str):
        """A 304 for a request whose If-None-Match (or other precondition) `etag` answers, else None."""
        response = get_conditional_response(self.request._request, etag=etag)
        if response is not None:
            response["ETag"] = etag
            cache_privately(response)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if hasattr(response, "render"):  # not a cached export (`claims.api.exports`), already bytes
            response.render()
        if not response.has_header("ETag"):  # derived ETags and the standards exports set theirs beforehand
            set_response_etag(response)
        cache_privately(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)
