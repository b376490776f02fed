from django.contrib.auth.views import redirect_to_login
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from claims import reads
from claims.api.filtersets import ClaimApiFilterSet
from claims.api.renderers import ClaimCsvRenderer
from claims.api.serializers import (
    ClaimSerializer,
    EntitySerializer,
    WithdrawalSerializer,
    WithdrawnQuerySerializer,
)
from claims.api.viewsets import ReadOnlyApiViewSet
from claims.filtersets import EntityFilterSet
from claims.models import Claim, ClaimTransition, Entity
from sources.api.serializers import ReportSerializer, SourceSerializer
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
class ClaimViewSet(ReadOnlyApiViewSet):
    """Claims with their attributions, relations and entities: vetted ones unless `status` asks otherwise.

    `?format=csv` gives one row per attribution, with the same filters; the
    page's cursor links are in the `Link` header.
    """

    queryset = Claim.objects.all()
    serializer_class = ClaimSerializer
    filterset_class = ClaimApiFilterSet
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, ClaimCsvRenderer]

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
    """Who claims are attributed to, with their Admiralty reliability."""

    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet

    def get_queryset(self):
        return reads.sources_visible_to(self.request.user)


class ReportViewSet(ReadOnlyApiViewSet):
    """The documents that carry claims, with the ids of their vetted claims."""

    queryset = Report.objects.all()
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet

    def get_queryset(self):
        return reads.reports_for_api(reads.reports_visible_to(self.request.user), self.request.user)


class DocsView(SpectacularSwaggerView):
    """Swagger UI from drf-spectacular-sidecar's static files: no CDN.

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
