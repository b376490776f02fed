"""The claims page's FilterSet as the API uses it (same filters, two API rules), and the API's filter backend."""

from __future__ import annotations

import functools

import django_filters
from django_filters.rest_framework import DjangoFilterBackend

from claims.filtersets import ClaimFilterSet
from claims.models import Claim


class ClaimApiFilterSet(ClaimFilterSet):
    """`ClaimFilterSet` with the API's defaults.

    - Vetted claims only unless `status` is given. Analysts and reviewers may
      ask for other statuses; for API consumers `visible_to` has already kept
      vetted claims only, so asking for drafts returns nothing.
    - Ordering only by fields that never change (`id`, `created`): cursor
      pagination pages by the first ordering field, and a field that changes
      (`updated`) or may be empty (`about`) would skip or repeat claims.
    """

    status = django_filters.MultipleChoiceFilter(
        distinct=False,  # a column of the claim: no join, nothing to deduplicate
        choices=Claim.Status.choices,
        help_text=(
            "Review status; vetted when not given. Other statuses are for analysts and reviewers: "
            "API consumers only ever see vetted claims."
        ),
    )
    ordering = django_filters.OrderingFilter(
        fields=(("id", "id"), ("created_at", "created")),
        help_text=(
            "Sort by id or created (when the claim was entered), prefix with - for descending; default -id. "
            "Limited to fields that never change, so that cursors stay stable."
        ),
    )

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.vetted()
        return super().filter_queryset(queryset)


class ApiFilterBackend(DjangoFilterBackend):
    """django-filter's backend, building only the filters a request names.

    A FilterSet builds and deep-copies a form field for each of its filters on every request (for the
    claims, seventeen, two of them model choices whose querysets are built for the reader): a third of an
    API page's time in Python, for filters most requests do not use. A filter not named in the query string
    filters nothing, so leaving it out changes no answer. The browsable API renders the whole form, so it
    gets every filter.
    """

    def get_filterset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        if getattr(getattr(request, "accepted_renderer", None), "format", None) != "api":
            filterset_class = _with_only(filterset_class, frozenset(_named(filterset_class.base_filters, request.GET)))
        return filterset_class(**self.get_filterset_kwargs(request, queryset, view))


def _named(filters, params) -> set[str]:
    """The filters `params` name: by their own name or as one of their widget's parts (`about_after`)."""
    return {name for name in filters if any(key == name or key.startswith(f"{name}_") for key in params)}


@functools.lru_cache(maxsize=512)
def _with_only(filterset_class, names: frozenset[str]):
    subclass = type(filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__})
    subclass.base_filters = {name: f for name, f in filterset_class.base_filters.items() if name in names}
    return subclass
