"""URLs: the admin for analysts, the attribution pages for reviewers, the API for consumers."""

from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from claims.views import StartView
from claimtracker.accounts import ApiTokenView, LogoutView

admin.site.site_header = "claimtracker"
admin.site.site_title = _("claimtracker admin")
admin.site.index_title = _("Reports, sources, claims and their evidence")


def favicon(request):
    """Our pages name their icon (`<link rel="icon">`); browsers still ask for /favicon.ico on the admin's."""
    return redirect(static("favicon.svg"))


urlpatterns = [
    path("admin/", admin.site.urls),
    # LOGIN_REDIRECT_URL: the overview for reviewers and analysts, the API docs for API consumers.
    path("accounts/start/", StartView.as_view(), name="start"),
    # Before Django's auth URLs: a GET of the logout URL gets a page with the button, not a 405.
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/token/", ApiTokenView.as_view(), name="api_token"),
    # set_language: the language switch in the menu posts here (a cookie; LocaleMiddleware reads it).
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("claims.api.urls")),
    path("favicon.ico", favicon),
    path("", include("claims.urls")),
]
