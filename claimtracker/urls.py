"""URLs: the admin for analysts, the attribution pages for reviewers, the API for consumers."""

import hashlib
from pathlib import Path

import django
from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control, cache_page
from django.views.decorators.http import etag
from django.views.i18n import JavaScriptCatalog

from claims.views import StartView
from claimtracker.accounts import ApiTokenView, LogoutView

admin.site.site_header = "claimtracker"
admin.site.site_title = _("claimtracker admin")
admin.site.index_title = _("Reports, sources, claims and their evidence")


def favicon(request):
    """Our pages name their icon (`<link rel="icon">`); browsers still ask for /favicon.ico on the admin's."""
    return redirect(static("favicon.svg"))


# The strings of static/js (their gettext(), ngettext() and interpolate()): locale/<language>/LC_MESSAGES/djangojs.mo.
# Its URL names the language and a digest of the catalogues, so that browsers keep it a year without asking again
# (a language switch or a new catalogue is a new URL) and the server builds it once per language (cache_page).
# It runs no query, and pages only name it: none runs a query more for it.
CATALOGUE_YEAR = 365 * 24 * 60 * 60
JS_CATALOGUES = sorted(path for root in settings.LOCALE_PATHS for path in Path(root).glob("*/LC_MESSAGES/djangojs.mo"))
# Django's version too: the catalogue carries its date and number formats.
CATALOGUE_VERSION = hashlib.sha256(
    b"".join([django.get_version().encode(), *(path.read_bytes() for path in JS_CATALOGUES)])
).hexdigest()[:12]
_catalogue = cache_control(public=True, immutable=True)(
    cache_page(CATALOGUE_YEAR, key_prefix="jsi18n")(JavaScriptCatalog.as_view(packages=["claims", "sources"]))
)


@etag(lambda request, language: f'"{CATALOGUE_VERSION}-{language}"')
def javascript_catalog(request, language):
    """The catalogue of `language` (the page's), whatever the language of the request that fetches it."""
    try:
        language = translation.get_supported_language_variant(language, strict=True)
    except LookupError:
        raise Http404("No such language") from None
    with translation.override(language):
        response = _catalogue(request)
    response.headers["Content-Language"] = language
    return response


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
    path(f"jsi18n/{CATALOGUE_VERSION}/<str:language>/", javascript_catalog, name="javascript_catalog"),
    path("api/", include("claims.api.urls")),
    path("favicon.ico", favicon),
    path("", include("claims.urls")),
]
