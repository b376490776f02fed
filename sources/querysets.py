"""Reads of reports and sources, named for what they select."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Q


class ReportQuerySet(models.QuerySet):
    def with_attribution_counts(self) -> ReportQuerySet:
        return self.annotate(attribution_count=Count("attributions", distinct=True))

    def for_admin_list(self) -> ReportQuerySet:
        return self.with_attribution_counts()


class SourceQuerySet(models.QuerySet):
    def with_stance_counts(self) -> SourceQuerySet:
        """Annotate how many distinct claims each source supports and contradicts."""
        from claims.models import Attribution

        return self.annotate(
            supports_count=Count(
                "attributions__claim",
                filter=Q(attributions__stance=Attribution.Stance.SUPPORTS),
                distinct=True,
            ),
            contradicts_count=Count(
                "attributions__claim",
                filter=Q(attributions__stance=Attribution.Stance.CONTRADICTS),
                distinct=True,
            ),
        )

    def for_admin_list(self) -> SourceQuerySet:
        return self.with_stance_counts()
