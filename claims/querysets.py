"""Reads of claims, attributions and entities, named for what they select.

`select_related`/`prefetch_related` appear only here: each `for_*` method is
one screen's whole recipe, and each has a query-count test.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Prefetch, Q


class ClaimQuerySet(models.QuerySet):
    def vetted(self) -> ClaimQuerySet:
        return self.filter(status=self.model.Status.VETTED)

    def in_review(self) -> ClaimQuerySet:
        return self.filter(status=self.model.Status.IN_REVIEW)

    def visible_to(self, user) -> ClaimQuerySet:
        """What `user` may read: everything for analysts and reviewers, vetted claims for API consumers."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("claims.view_claim"):
            return self
        if user.has_perm("claims.access_api"):
            return self.vetted()
        return self.none()

    def with_evidence(self) -> ClaimQuerySet:
        """Preload attributions (with source and report), entities and relations."""
        from claims.models import Attribution, ClaimRelation

        return self.prefetch_related(
            Prefetch("attributions", queryset=Attribution.objects.select_related("source", "report")),
            "entities",
            Prefetch("outgoing_relations", queryset=ClaimRelation.objects.select_related("to_claim")),
            Prefetch("incoming_relations", queryset=ClaimRelation.objects.select_related("from_claim")),
        )

    def with_counts(self) -> ClaimQuerySet:
        from claims.models import Attribution

        return self.annotate(
            supports_count=Count("attributions", filter=Q(attributions__stance=Attribution.Stance.SUPPORTS)),
            contradicts_count=Count("attributions", filter=Q(attributions__stance=Attribution.Stance.CONTRADICTS)),
        )

    def for_admin_list(self) -> ClaimQuerySet:
        from claims.models import Attribution

        return self.with_counts().prefetch_related(
            Prefetch("attributions", queryset=Attribution.objects.select_related("source")),
        )


class AttributionQuerySet(models.QuerySet):
    def in_text_order(self) -> AttributionQuerySet:
        return self.order_by("report_id", "start", "end", "id")

    def for_report(self, report) -> AttributionQuerySet:
        """A report's attributions in text order, with what a reader of the report needs."""
        return self.filter(report=report).in_text_order().select_related("claim", "source")


class EntityQuerySet(models.QuerySet):
    def with_claim_counts(self) -> EntityQuerySet:
        return self.annotate(claim_count=Count("claims", distinct=True))
