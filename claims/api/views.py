from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from claims.api.filtersets import ClaimApiFilterSet
from claims.api.renderers import ClaimCsvRenderer
from claims.api.serializers import ClaimSerializer, EntitySerializer
from claims.api.viewsets import ReadOnlyApiViewSet
from claims.filtersets import EntityFilterSet
from claims.models import Claim, Entity


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


class EntityViewSet(ReadOnlyApiViewSet):
    """People, organisations, places and equipment that claims are about."""

    queryset = Entity.objects.all()
    serializer_class = EntitySerializer
    filterset_class = EntityFilterSet
