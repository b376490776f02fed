from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.generics import GenericAPIView, get_object_or_404
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from claims import reads
from claims.api.exports import CachedExport, StandardExportsMixin
from claims.api.filtersets import ClaimApiFilterSet
from claims.api.renderers import (
    AnnotationRenderer,
    ClaimCsvRenderer,
    ClaimReviewRenderer,
    PlainData,
    PlainJsonRenderer,
    StixRenderer,
)
from claims.api.serializers import (
    ClaimRows,
    ClaimSerializer,
    EntitySerializer,
    WithdrawalSerializer,
    WithdrawnQuerySerializer,
)
from claims.api.viewsets import ReadOnlyApiViewSet, derived_etag
from claims.exports import annotations
from claims.filtersets import EntityFilterSet
from claims.models import Attribution, Claim, ClaimTransition, Entity
from sources.api.serializers import ReportSerializer, SourceWithTrackRecordSerializer
from sources.filtersets import ReportFilterSet, SourceFilterSet
from sources.models import Report, Source


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=Claim.Status.values,
                many=True,
                description=ClaimApiFilterSet.base_filters["status"].extra["help_text"],
            )
        ]
    )
)
class ClaimViewSet(StandardExportsMixin, ReadOnlyApiViewSet):
    """Claims with their attributions, relations and entities: vetted ones unless `status` asks otherwise.

    `?format=csv` gives one row per attribution, with the same filters; the
    page's cursor links are in the `Link` header. `?format=stix` (a STIX 2.1
    bundle; `&opencti=1` adds OpenCTI's reliability) and `?format=claimreview`
    (schema.org JSON-LD) give every claim the filters select, in one document.
    """

    queryset = Claim.objects.all()
    serializer_class = ClaimSerializer
    filterset_class = ClaimApiFilterSet
    renderer_classes = [PlainJsonRenderer, BrowsableAPIRenderer, ClaimCsvRenderer, StixRenderer, ClaimReviewRenderer]

    # The hot path: JSON and CSV are written from plain rows (`Claim.objects.api_rows`, `ClaimRows`), and their
    # ETag is derived from the rows' fingerprints, so a 304 is answered after one query. `ClaimSerializer`
    # stays the schema's source; the browsable API and the standards exports use the querysets as before.
    PLAIN_FORMATS = {"json", "csv"}

    def _plain(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format in self.PLAIN_FORMATS

    def get_queryset(self):
        if self._plain():
            return Claim.objects.visible_to(self.request.user)
        return super().get_queryset()

    def list(self, request, *args, **kwargs):
        if not self._plain():
            return super().list(request, *args, **kwargs)
        rows = self.paginate_queryset(self.filter_queryset(self.get_queryset()).api_rows(request.user))
        links = {"next": self.paginator.get_next_link(), "previous": self.paginator.get_previous_link()}
        etag = derived_etag(request, (links, [(row["id"], row["updated_at"], row["fingerprint"]) for row in rows]))
        not_modified = self.not_modified(etag)
        if not_modified is not None:
            return not_modified
        evidence = Claim.objects.api_evidence([row["id"] for row in rows], request.user)
        response = Response(PlainData(links, results=ClaimRows(evidence).claims(rows)))
        response["ETag"] = etag
        return response

    def retrieve(self, request, *args, **kwargs):
        if not self._plain():
            return super().retrieve(request, *args, **kwargs)
        rows = self.filter_queryset(self.get_queryset()).api_rows(request.user)
        row = get_object_or_404(rows, pk=self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        self.check_object_permissions(request, row)
        etag = derived_etag(request, (row["id"], row["updated_at"], row["fingerprint"]))
        not_modified = self.not_modified(etag)
        if not_modified is not None:
            return not_modified
        response = Response(PlainData(ClaimRows(Claim.objects.api_evidence([row["id"]], request.user)).claim(row)))
        response["ETag"] = etag
        return response

    @extend_schema(
        parameters=[WithdrawnQuerySerializer],
        responses=WithdrawalSerializer(many=True),
        filters=False,
        summary="Claims withdrawn since a moment",
        description=(
            "For incremental sync: `updated_since` brings what is vetted and changed; this lists the claims "
            "that stopped being vetted (retracted, or back in review after a change) at or after `since` "
            "and are not vetted now, oldest first, so that you can drop them. Only their ids and when."
        ),
    )
    @action(detail=False, pagination_class=None, renderer_classes=[JSONRenderer, BrowsableAPIRenderer])
    def withdrawn(self, request):
        query = WithdrawnQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        withdrawals = ClaimTransition.objects.withdrawals_since(query.validated_data["since"])
        return Response(WithdrawalSerializer(withdrawals, many=True).data)


class EntityViewSet(ReadOnlyApiViewSet):
    """People, organisations, places and equipment that claims are about."""

    queryset = Entity.objects.all()
    serializer_class = EntitySerializer
    filterset_class = EntityFilterSet


class SourceViewSet(ReadOnlyApiViewSet):
    """Who claims are attributed to, with their Admiralty reliability, their party and their track record
    (what came of the claims they supported, among those you may read)."""

    queryset = Source.objects.all()
    serializer_class = SourceWithTrackRecordSerializer
    filterset_class = SourceFilterSet

    def get_queryset(self):
        return reads.sources_for_api(reads.sources_visible_to(self.request.user), self.request.user)


class ReportViewSet(ReadOnlyApiViewSet):
    """The documents that carry claims, with the ids of their vetted claims and the reports they derive from."""

    queryset = Report.objects.all()
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet

    def get_queryset(self):
        return reads.reports_for_api(reads.reports_visible_to(self.request.user), self.request.user)


@extend_schema(
    summary="A report's attributions as W3C Web Annotations",
    description=(
        "An AnnotationCollection (JSON-LD, Web Annotation Data Model) with one Annotation per attribution of "
        "the report that you may read, in text order: a TextQuoteSelector (exact, prefix, suffix) and a "
        "TextPositionSelector (Unicode code points), and bodies naming the claim, the source, the stance "
        "and the grade (as `key:value` tags, which `manage.py import_annotations` reads back)."
    ),
    responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    filters=False,
)
class ReportAnnotationsView(GenericAPIView):
    """/api/v1/reports/<id>/annotations/: `claims.exports.annotations` of what the user may read, cached per
    ETag (`claims.api.exports`)."""

    queryset = Report.objects.all()  # narrowed by `get_queryset`; names the model for the schema
    renderer_classes = [AnnotationRenderer, JSONRenderer]
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return reads.reports_visible_to(self.request.user)

    def get(self, request, pk):
        self._export_cache = CachedExport(request, "annotations")
        cached = self._export_cache.hit()
        if cached is not None:
            return cached
        report = self.get_object()
        return Response(
            annotations.annotation_collection(
                report,
                Attribution.objects.visible_to(request.user).for_report(report),
                collection_url=request.build_absolute_uri(request.path),
                target_source=report.url or request.build_absolute_uri(report.get_absolute_url()),
                claim_url=lambda claim: request.build_absolute_uri(reverse("claim-detail", args=[claim])),
                source_url=lambda source: request.build_absolute_uri(reverse("source-detail", args=[source])),
            )
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        export_cache = getattr(self, "_export_cache", None)
        if export_cache is not None and isinstance(response, Response) and response.status_code == 200:
            response.render()
            export_cache.store(export_cache.headers(response))
        return response


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's static files: no CDN; its start-up script is a request of its
    own (the split view), so the page runs under a Content-Security-Policy without inline script.

    A visitor with neither session nor token is sent to the login page (and
    back here after it) rather than shown a bare 401. Not Django's
    `login_required`: it knows only sessions, and would send a token client to
    the login page too. A bad token is still a 401; the schema and the data
    answer 401 as before.
    """

    def handle_exception(self, exc):
        if isinstance(exc, NotAuthenticated):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
