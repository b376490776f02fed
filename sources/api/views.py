from claims.api.viewsets import ReadOnlyApiViewSet
from sources.api.serializers import ReportSerializer, SourceSerializer
from sources.filtersets import ReportFilterSet, SourceFilterSet
from sources.models import Report, Source


class SourceViewSet(ReadOnlyApiViewSet):
    """Who claims are attributed to, with their Admiralty reliability."""

    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet


class ReportViewSet(ReadOnlyApiViewSet):
    """The documents that carry claims, with the ids of their vetted claims."""

    queryset = Report.objects.all()
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
