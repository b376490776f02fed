"""The API under /api/: version 1 of the data, its OpenAPI schema and the interactive docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from claims.api.views import (
    ClaimViewSet,
    DocsView,
    EntityViewSet,
    ReportAnnotationsView,
    ReportViewSet,
    SourceViewSet,
)

router = DefaultRouter()
router.register("claims", ClaimViewSet, basename="claim")
router.register("sources", SourceViewSet, basename="source")
router.register("reports", ReportViewSet, basename="report")
router.register("entities", EntityViewSet, basename="entity")


urlpatterns = [
    path("v1/", include(router.urls)),
    # Any segment reaches the view (as `lookup_value_regex` does for the viewsets): a malformed id is a JSON 404.
    re_path(r"^v1/reports/(?P<pk>[^/]+)/annotations/$", ReportAnnotationsView.as_view(), name="report-annotations"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
]
