"""Reads of claims, attributions and entities, named for what they select.

`select_related`/`prefetch_related` appear only here: each `for_*` method is
one screen's whole recipe, and each has a query-count test.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Max, Min, Prefetch, Q


def related(queryset: models.QuerySet, *path: str) -> type[models.Model]:
    """The model at the end of relation `path` from the queryset's model (no import: the models import us)."""
    model = queryset.model
    for name in path:
        model = model._meta.get_field(name).related_model
    return model


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

    def changed_since(self, moment, visible: models.QuerySet | None = None) -> ClaimQuerySet:
        """Claims whose content or evidence changed at or after `moment`: what an API sync must fetch again.

        The claim itself (any save, status step, weight, removed attribution or
        relation, renamed entity bumps it: see the services), its attributions,
        the sources and reports they cite (a relabel or a regrade), and its
        relations: added, or to a claim that changed (e.g. became vetted, so
        the relation now shows). Only relations to `visible` claims count (the
        claims the reader may see): a draft's change must not tell a consumer
        that unvetted work exists. Subqueries, not joins, so no row is
        multiplied.
        """
        Attribution, ClaimRelation = related(self, "attributions"), related(self, "outgoing_relations")
        visible = self.model.objects.all() if visible is None else visible

        evidence = Attribution.objects.filter(
            Q(updated_at__gte=moment) | Q(source__updated_at__gte=moment) | Q(report__updated_at__gte=moment)
        )
        outgoing = ClaimRelation.objects.filter(
            Q(created_at__gte=moment) | Q(to_claim__updated_at__gte=moment), to_claim__in=visible
        )
        incoming = ClaimRelation.objects.filter(
            Q(created_at__gte=moment) | Q(from_claim__updated_at__gte=moment), from_claim__in=visible
        )
        return self.filter(
            Q(updated_at__gte=moment)
            | Q(pk__in=evidence.values("claim_id"))
            | Q(pk__in=outgoing.values("from_claim_id"))
            | Q(pk__in=incoming.values("to_claim_id"))
        )

    def with_evidence(self) -> ClaimQuerySet:
        """Preload attributions (with source and report), entities and relations."""
        Attribution, ClaimRelation = related(self, "attributions"), related(self, "outgoing_relations")

        return self.prefetch_related(
            Prefetch("attributions", queryset=Attribution.objects.select_related("source", "report")),
            "entities",
            Prefetch("outgoing_relations", queryset=ClaimRelation.objects.select_related("to_claim")),
            Prefetch("incoming_relations", queryset=ClaimRelation.objects.select_related("from_claim")),
        )

    def with_counts(self) -> ClaimQuerySet:
        Attribution = related(self, "attributions")

        # distinct: a filter or search on attributions joins them again, which would multiply plain counts.
        return self.annotate(
            supports_count=Count(
                "attributions", filter=Q(attributions__stance=Attribution.Stance.SUPPORTS), distinct=True
            ),
            contradicts_count=Count(
                "attributions", filter=Q(attributions__stance=Attribution.Stance.CONTRADICTS), distinct=True
            ),
        )

    def for_admin_list(self) -> ClaimQuerySet:
        Attribution = related(self, "attributions")

        return self.with_counts().prefetch_related(
            Prefetch("attributions", queryset=Attribution.objects.select_related("source")),
        )

    def for_api(self, user) -> ClaimQuerySet:
        """The API's recipe: attributions with source and report, entities, and relations.

        Unlike `with_evidence()`, relations are kept only when the claim at
        their other end is visible to `user`, so a consumer never learns a
        draft's id or statement through a vetted claim. Four queries after
        the claims' own, whatever the number of claims.
        """
        Attribution, ClaimRelation = related(self, "attributions"), related(self, "outgoing_relations")

        visible = self.model.objects.visible_to(user)
        return self.prefetch_related(
            Prefetch(
                "attributions",
                # The report's body can be long and the API does not serve it.
                queryset=Attribution.objects.select_related("source", "report").defer("report__body"),
            ),
            "entities",
            Prefetch(
                "outgoing_relations",
                queryset=ClaimRelation.objects.filter(to_claim__in=visible).select_related("to_claim"),
            ),
            Prefetch(
                "incoming_relations",
                queryset=ClaimRelation.objects.filter(from_claim__in=visible).select_related("from_claim"),
            ),
        )

    # The reviewers' pages: one recipe per screen, each pinned by a query-count test
    # in tests/claims/test_views.py or tests/sources/test_views.py.

    def recently_changed(self) -> ClaimQuerySet:
        return self.order_by("-updated_at", "-id")

    def for_list_page(self) -> ClaimQuerySet:
        """/claims/, an entity's claims and the overview: evidence counts, entities preloaded.

        Ordered explicitly: Meta.ordering is not applied to queries that aggregate.
        """
        return self.with_counts().recently_changed().prefetch_related("entities")

    def for_detail_page(self) -> ClaimQuerySet:
        """/claims/<id>/: evidence in time order, entities, relations both ways, review history."""
        Attribution, ClaimRelation = related(self, "attributions"), related(self, "outgoing_relations")
        ClaimTransition = related(self, "transitions")

        return self.select_related("created_by", "updated_by").prefetch_related(
            Prefetch("attributions", queryset=Attribution.objects.in_time_order().select_related("source", "report")),
            "entities",
            Prefetch("outgoing_relations", queryset=ClaimRelation.objects.select_related("to_claim")),
            Prefetch("incoming_relations", queryset=ClaimRelation.objects.select_related("from_claim")),
            Prefetch("transitions", queryset=ClaimTransition.objects.select_related("by")),
        )

    def count_by_status(self) -> list[tuple[str, int]]:
        """(status, number of claims) for every status, in workflow order; one query."""
        counts = dict(self.order_by().values_list("status").annotate(n=Count("pk")))
        return [(status, counts.get(status.value, 0)) for status in self.model.Status]

    def count_by_source_kind(self) -> list[tuple[str, int]]:
        """(source kind, number of claims attributed to a source of that kind), kinds in use only; one query."""
        Source = related(self, "attributions", "source")
        counts = dict(
            self.order_by()
            .filter(attributions__isnull=False)
            .values_list("attributions__source__kind")
            .annotate(n=Count("pk", distinct=True))
        )
        return [(kind, counts[kind.value]) for kind in Source.Kind if kind.value in counts]


class AttributionQuerySet(models.QuerySet):
    def in_text_order(self) -> AttributionQuerySet:
        return self.order_by("report_id", "start", "end", "id")

    def for_report(self, report) -> AttributionQuerySet:
        """A report's attributions in text order, with what a reader of the report needs."""
        return self.filter(report=report).in_text_order().select_related("claim", "source", "relay_of__report")

    def visible_to(self, user) -> AttributionQuerySet:
        """Attributions of the claims `user` may read (`ClaimQuerySet.visible_to` decides)."""
        return self.filter(claim__in=related(self, "claim").objects.visible_to(user))

    def in_time_order(self) -> AttributionQuerySet:
        """By the publication date of their report, then text order: how evidence accumulated."""
        return self.order_by("report__published", "report_id", "start", "id")

    def one_per_source_and_report(self) -> AttributionQuerySet:
        """The first attribution of each (source, report) pair: a source's reports, each once."""
        firsts = self.model.objects.order_by().values("source", "report").annotate(first=Min("pk")).values("first")
        return self.filter(pk__in=firsts)

    def for_source_page(self) -> AttributionQuerySet:
        """/sources/<id>/: a source's attributions in time order, with claim, report and source."""
        return self.in_time_order().select_related("claim", "report", "source")


class ClaimTransitionQuerySet(models.QuerySet):
    def withdrawals_since(self, moment) -> models.QuerySet:
        """Claims that left the vetted set at or after `moment` and are not vetted now.

        Rows of (claim_id, withdrawn_at), oldest first: what an API consumer
        syncing with `updated_since` must drop. Retracted claims and vetted
        claims sent back to review both count; a claim vetted again since is
        back in the normal feed instead. One query.
        """
        ClaimStatus = related(self, "claim").Status

        return (
            self.filter(from_status=ClaimStatus.VETTED, at__gte=moment)
            .exclude(claim__status=ClaimStatus.VETTED)
            .values("claim_id")
            .annotate(withdrawn_at=Max("at"))
            .order_by("withdrawn_at", "claim_id")
        )


class EntityQuerySet(models.QuerySet):
    def with_claim_counts(self) -> EntityQuerySet:
        return self.annotate(claim_count=Count("claims", distinct=True))

    def visible_to(self, user) -> EntityQuerySet:
        """Every entity for analysts and reviewers; for API consumers, those of claims they may read."""
        if user.is_authenticated and user.has_perm("claims.view_entity"):
            return self
        Claim = related(self, "claims")
        concerned = Claim.entities.through.objects.filter(claim__in=Claim.objects.visible_to(user))
        return self.filter(pk__in=concerned.values("entity_id"))

    def for_api(self, user) -> EntityQuerySet:
        """The API's recipe: one query, nothing to preload."""
        return self
