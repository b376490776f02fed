"""The data's version, and the pages rendered once per version.

`data_version()` changes with any write a page or an export shows: each
versioned model's last history row (any save or delete, by any writer: the
admin, the services, an import) and the last change of a claim (its stored
weight is kept up to date with `update()`, which writes no history). It is
one query of `MAX`es on primary keys and an indexed column, read from the
database the pages read (the replica, when there is one).

`CachedContentMixin` keeps the main content of a costly page (the claims
list, a report's annotated text) per data version, reader and URL: the
content is rendered once per version, and every later request for it costs
the version's query and a cache read instead of its queries and templates.
Nothing can be stale: any write changes the version, and the old entries
are never asked for again (the cache drops them after `PAGE_CACHE_SECONDS`).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import connections, router
from django.utils.translation import get_language

from claims.models import Attribution, Claim, ClaimRelation, Entity
from sources.models import Report, ReportDerivation, Source

VERSIONED = [Claim, Attribution, ClaimRelation, Entity, Source, Report, ReportDerivation]
PAGE_CACHE_SECONDS = 10 * 60


def data_version() -> str:
    """The version of everything the pages and exports show, in one query (see the module)."""
    connection = connections[router.db_for_read(Claim)]
    quote = connection.ops.quote_name
    parts = [
        f"(SELECT MAX({quote('history_id')}) FROM {quote(model.history.model._meta.db_table)})" for model in VERSIONED
    ]
    parts.append(f"(SELECT MAX({quote('updated_at')}) FROM {quote(Claim._meta.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return "|".join(str(value) for value in cursor.fetchone())


def page_key(request, name: str) -> str:
    """The cache key of what `request` is shown by the page `name` at the data's current version: it holds
    the reader's id, permissions and staff status (what they may see and do), the language and the whole path with its
    query string, so that no reader is ever shown what was rendered for another."""
    user = request.user
    rights = ",".join(sorted(user.get_all_permissions()))
    parts = [data_version(), str(user.pk), rights, str(user.is_staff), str(user.is_superuser)]
    parts += [get_language() or "", request.get_full_path()]
    return f"claimtracker-page:{name}:{hashlib.sha256(chr(10).join(parts).encode()).hexdigest()}"


def store_content(key: str, content) -> None:
    cache.set(key, content, PAGE_CACHE_SECONDS)


class CachedContentMixin:
    """For a page view whose template wraps its main content in `{% cachedcontent %}…{% endcachedcontent %}`
    (claims/templatetags/cached_content.py): the content for this version, reader and URL is looked up before
    the view reads anything. On a hit the view's `get_context_data` skips its reads (`if self.cached_content
    is not None`) and the tag shows the content; on a miss the tag renders it and stores it under the key.

    A page whose number was out of range (`ForgivingPaginationMixin`'s note) is not stored: its note would be
    missing from a hit.
    """

    content_cache_name = ""
    cached_content: str | None = None

    def get(self, request, *args, **kwargs):
        self.content_cache_key = page_key(request, self.content_cache_name)
        self.cached_content = cache.get(self.content_cache_key)
        return super().get(request, *args, **kwargs)

    def content_cache_context(self) -> dict:
        """For the template (call it after the page is chosen): the content, or the key to store it under."""
        keep = not getattr(self, "page_moved", False)
        return {"cached_content": self.cached_content, "content_cache_key": self.content_cache_key if keep else None}
