"""The standards exports in the API: what they read beyond the API's recipe, and their cache.

`?format=stix` and `?format=claimreview` on the claims list (any filter) or on
a claim, and /api/v1/reports/<id>/annotations/, are built by the pure
functions of `claims.exports` from what the user may see. Building one is the
expensive part of a pull (a 1,000-claim bundle is a few megabytes), so each is
cached per ETag:

- the ETag is a hash of the request (URL, format), of what the user may see
  (their role, not their id: every consumer sees the same claims) and of the
  data's version (`data_version`: one query);
- a request whose If-None-Match carries it gets a 304 before anything is read
  or built; one without gets the body from the cache if it is there.

Any write changes the data's version, so a cached export is never stale: it
simply stops being asked for, and the cache drops it (`EXPORT_CACHE_SECONDS`).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from rest_framework.response import Response

from claims import reads
from claims.exports import claimreview, stix
from claims.models import Attribution, Claim, ClaimRelation
from claims.pagecache import data_version
from sources.models import Report, ReportDerivation, Source

EXPORT_CACHE_SECONDS = 60 * 60
# The permissions that decide what an export shows (`visible_to`, `reports_visible_to`, `sources_visible_to`).
_SCOPE_PERMISSIONS = ["claims.view_claim", "claims.access_api", "sources.view_report", "sources.view_source"]


def export_etag(request, export_format: str) -> str:
    user = request.user
    scope = "".join("1" if user.has_perm(permission) else "0" for permission in _SCOPE_PERMISSIONS)
    key = "\n".join([export_format, request.build_absolute_uri(), scope, data_version()])
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:40] + '"'


class CachedExport:
    """The cache of one export request: a 304 or the cached body if it can, else `store` after building it."""

    def __init__(self, request, export_format: str):
        self.request = request
        self.etag = export_etag(request, export_format)
        self.key = f"claimtracker-export:{self.etag.strip(chr(34))}"

    def hit(self):
        """A 304 for a matching If-None-Match, the cached response, or None (build it, then `store`)."""
        not_modified = get_conditional_response(self.request, etag=self.etag)
        if not_modified is not None:
            return self.headers(not_modified)
        cached = cache.get(self.key)
        if cached is None:
            return None
        content, content_type = cached
        return self.headers(HttpResponse(content, content_type=content_type))

    def headers(self, response):
        """The ETag and the API's caching headers (`ReadOnlyApiViewSet`): per user, always revalidated."""
        response["ETag"] = self.etag
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response

    def store(self, response) -> None:
        """Keep a rendered 200 under the ETag; called on the finalised response."""
        if response.status_code == 200 and not response.streaming:
            cache.set(self.key, (response.content, response["Content-Type"]), EXPORT_CACHE_SECONDS)


class StandardExportsMixin:
    """A viewset of claims whose list and detail answer `?format=stix` and `?format=claimreview` with the
    standards documents of the claims the user may see, filtered as asked (no pages: a bundle is whole)."""

    EXPORT_FORMATS = {"stix", "claimreview"}

    def _export_format(self, request) -> str | None:
        renderer = getattr(request, "accepted_renderer", None)
        return renderer.format if renderer is not None and renderer.format in self.EXPORT_FORMATS else None

    def _cached_export(self, request):
        export_format = self._export_format(request)
        if export_format is None:
            return None, None
        self._export_cache = CachedExport(request, export_format)
        return export_format, self._export_cache.hit()

    def list(self, request, *args, **kwargs):
        export_format, cached = self._cached_export(request)
        if export_format is None:
            return super().list(request, *args, **kwargs)
        if cached is not None:
            return cached
        return Response(self._document(export_format, self.filter_queryset(self._visible()), many=True))

    def retrieve(self, request, *args, **kwargs):
        export_format, cached = self._cached_export(request)
        if export_format is None:
            return super().retrieve(request, *args, **kwargs)
        if cached is not None:
            return cached
        claim = self.get_object()  # 404 unless visible and selected by the filters (vetted unless `status`)
        return Response(self._document(export_format, self._visible().filter(pk=claim.pk), many=False))

    def _visible(self):
        return Claim.objects.visible_to(self.request.user)

    def _document(self, export_format: str, selected, *, many: bool) -> dict:
        """The document of the claims `selected` (a queryset of what the user may see)."""
        request = self.request
        if export_format == "stix":
            opencti = request.query_params.get("opencti", "").lower() in {"1", "true", "yes"}
            # Report texts only for readers who may read reports (README, "Standards"): the ETag varies by role.
            bodies = request.user.has_perm("sources.view_report")
            return stix.stix_bundle(stix_material(selected, request.user), opencti=opencti, bodies=bodies)
        claims = list(selected.for_api(request.user))

        def claim_url(pk: int) -> str:
            return request.build_absolute_uri(reverse("claim_detail", args=[pk]))

        publisher = claimreview.publisher(request.build_absolute_uri("/"))
        if many:
            return claimreview.claim_reviews(claims, claim_url=claim_url, publisher=publisher)
        return claimreview.claim_review_document(claims[0], claim_url=claim_url, publisher=publisher)

    def finalize_response(self, request, response, *args, **kwargs):
        export_cache = getattr(self, "_export_cache", None)
        if export_cache is not None and isinstance(response, Response) and response.status_code == 200:
            response["ETag"] = export_cache.etag
        response = super().finalize_response(request, response, *args, **kwargs)
        if export_cache is not None and isinstance(response, Response):
            export_cache.store(response)
        return response


def stix_material(selected, user) -> stix.StixMaterial:
    """What a bundle of the claims `selected` (a queryset, filtered from what `user` may see) is made of, in
    six to eight flat queries whatever their number (no `prefetch_related`: building a queryset per claim
    cost more than everything else): the claims; their attributions with sources; their relations to claims
    `user` may see; the reports they cite, with their text (a report they got words "via" only if `user` may
    see it); the sources that "same speaker as" and "speaks for" chains lead to; the derivations between
    those reports."""
    claims = list(selected)
    in_selection = selected.values("pk")
    attributions = list(Attribution.objects.filter(claim__in=in_selection).select_related("source").order_by("pk"))
    visible = Claim.objects.visible_to(user).values("pk")
    relations = list(
        ClaimRelation.objects.filter(
            Q(from_claim__in=in_selection, to_claim__in=visible) | Q(to_claim__in=in_selection, from_claim__in=visible)
        ).order_by("pk")
    )
    carrying = {attribution.report_id for attribution in attributions}
    via = {attribution.via_id for attribution in attributions} - carrying - {None}
    if via:
        via = set(reads.reports_visible_to(user).filter(pk__in=via).values_list("pk", flat=True))
    reports = Report.objects.in_bulk(carrying | via)

    sources = {attribution.source_id: attribution.source for attribution in attributions}
    wanted = {pk for source in sources.values() for pk in (source.same_as_id, source.member_of_id)} - {None}
    while wanted - set(sources):
        found = Source.objects.in_bulk(wanted - set(sources))
        sources.update(found)
        wanted = {pk for source in found.values() for pk in (source.same_as_id, source.member_of_id)} - {None}

    in_bundle = list(reports)
    derivations = list(ReportDerivation.objects.filter(report__in=in_bundle, original__in=in_bundle)) if reports else []
    return stix.StixMaterial(
        claims=claims,
        attributions=attributions,
        relations=relations,
        reports=reports,
        sources=sources,
        derivations=derivations,
    )
