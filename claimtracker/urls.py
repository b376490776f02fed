"""URLs: the admin for analysts, the attribution pages for reviewers, the API for consumers."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "claimtracker"
admin.site.site_title = "claimtracker admin"
admin.site.index_title = "Reports, sources, claims and their evidence"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("claims.api.urls")),
    path("", include("sources.urls")),
    path("", include("claims.urls")),
]
