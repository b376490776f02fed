"""Reads of reports and sources, named for what they select."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When


class ReportQuerySet(models.QuerySet):
    def with_attribution_counts(self) -> ReportQuerySet:
        return self.annotate(attribution_count=Count("attributions", distinct=True))

    def for_admin_list(self) -> ReportQuerySet:
        return self.with_attribution_counts()

    def visible_to(self, user) -> ReportQuerySet:
        """Every report for analysts and reviewers; for API consumers, those carrying claims they may read."""
        from claims.models import Attribution, Claim

        if user.is_authenticated and user.has_perm("sources.view_report"):
            return self
        carried = Attribution.objects.filter(claim__in=Claim.objects.visible_to(user))
        return self.filter(pk__in=carried.values("report_id"))

    def for_api(self, user) -> ReportQuerySet:
        """The API's recipe: without the body, with the attributions of vetted claims (for their ids).

        One query after the reports' own, whatever the number of reports.
        """
        from claims.models import Attribution, Claim

        vetted = Claim.objects.visible_to(user).vetted()
        return self.defer("body").prefetch_related(
            Prefetch(
                "attributions",
                queryset=Attribution.objects.filter(claim__in=vetted).only("id", "report_id", "claim_id"),
                to_attr="vetted_attributions",
            )
        )

    def recently_added(self) -> ReportQuerySet:
        """The overview's "reports most recently added", with their attribution counts."""
        return self.with_attribution_counts().order_by("-created_at", "-id")


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

    def visible_to(self, user) -> SourceQuerySet:
        """Every source for analysts and reviewers; for API consumers, those of claims they may read."""
        from claims.models import Attribution, Claim

        if user.is_authenticated and user.has_perm("sources.view_source"):
            return self
        speaking = Attribution.objects.filter(claim__in=Claim.objects.visible_to(user))
        return self.filter(pk__in=speaking.values("source_id"))

    def for_api(self, user) -> SourceQuerySet:
        """The API's recipe: one query, nothing to preload."""
        return self

    def in_kind_order(self) -> SourceQuerySet:
        """Grouped by kind in the order `Source.Kind` lists them (outlet first), then by label."""
        kinds = self.model.Kind.values
        rank = Case(*(When(kind=kind, then=Value(i)) for i, kind in enumerate(kinds)), output_field=IntegerField())
        return self.order_by(rank, "label", "id")

    def for_sources_page(self) -> SourceQuerySet:
        """/sources/: by kind, with stance counts and each source's reports (`report_attributions`)."""
        from claims.models import Attribution

        first_per_report = (
            Attribution.objects.one_per_source_and_report().select_related("report").order_by("report__published")
        )
        return (
            self.with_stance_counts()
            .in_kind_order()
            .prefetch_related(Prefetch("attributions", queryset=first_per_report, to_attr="report_attributions"))
        )
