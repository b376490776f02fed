"""The claims page's FilterSet as the API uses it: same filters, two API rules."""

from __future__ import annotations

import django_filters

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
