"""Reads of claims, attributions and entities, named for what they select.

`select_related`/`prefetch_related` appear only here: each `for_*` method is
one screen's whole recipe, and each has a query-count test.

Every list seeks: its filters are conditions on indexed columns of the row
or `EXISTS` on an indexed foreign key (never `IN` over the set of claims a
user may read, which grows with the archive), and its order is an index's
(see the indexes' comments in the models and `tests/test_query_plans.py`).
"""

from __future__ import annotations

import functools

from django.db import connection, connections, models
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    TextField,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce


def related(queryset: models.QuerySet, *path: str) -> type[models.Model]:
    """The model at the end of relation `path` from the queryset's model (no import: the models import us)."""
    model = queryset.model
    for name in path:
        model = model._meta.get_field(name).related_model
    return model


def count_of(rows: models.QuerySet, key: str) -> Coalesce:
    """The number of `rows` whose `key` is the outer row: a correlated subquery on an indexed foreign key, so
    that the outer rows keep their own order and filters (a join and GROUP BY would sort the whole table)."""
    counted = rows.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


@functools.cache
def fingerprint_sql(Claim: type[models.Model], vendor: str) -> str:
    """The SQL of `ClaimQuerySet.with_fingerprint`, correlated with the outer claims table; "{visible}" stands
    for the condition on a related claim `o` that the reader may see it (with its parameter, twice).

    CROSS JOIN fixes the order of the loops on SQLite (PostgreSQL plans it as an inner join): from the claim's
    own rows by its indexed key, then each joined row by primary key. A planner without statistics would
    otherwise start from every vetted claim to find the few related to this one."""
    Attribution, Relation = Claim.attributions.rel.related_model, Claim.outgoing_relations.rel.related_model
    Tagging, Entity = Claim.entities.through, Claim.entities.rel.model
    Source, Report = Attribution.source.field.related_model, Attribution.report.field.related_model
    table = {model: connection.ops.quote_name(model._meta.db_table) for model in (Claim, Attribution, Relation)}
    table |= {model: connection.ops.quote_name(model._meta.db_table) for model in (Tagging, Entity, Source, Report)}
    greatest, code = ("GREATEST", "ASCII") if vendor == "postgresql" else ("MAX", "UNICODE")
    claim = f"{table[Claim]}.{connection.ops.quote_name('id')}"

    def summary(count_sum: str, checksum: str, newest: str, rows: str) -> str:
        parts = ["COUNT(*)", f"COALESCE(SUM({count_sum}), 0)", f"COALESCE(SUM({checksum}), 0)"]
        parts.append(f"COALESCE(CAST(MAX({newest}) AS TEXT), '')")
        return "(SELECT " + " || ' ' || ".join(f"CAST({part} AS TEXT)" for part in parts) + f" FROM {rows})"

    evidence = summary(
        "a.id",
        f"a.id * ({code}(s.reliability) * 8 + a.credibility)",
        f"{greatest}(a.updated_at, s.updated_at, r.updated_at)",
        f"{table[Attribution]} a CROSS JOIN {table[Source]} s CROSS JOIN {table[Report]} r "
        f"WHERE a.claim_id = {claim} AND s.id = a.source_id AND r.id = a.report_id",
    )
    entities = summary(
        "t.entity_id",
        "t.entity_id",
        "e.updated_at",
        f"{table[Tagging]} t CROSS JOIN {table[Entity]} e WHERE t.claim_id = {claim} AND e.id = t.entity_id",
    )
    outgoing, incoming = (
        summary(
            "x.id",
            f"x.{other}_id",
            "o.updated_at",
            f"{table[Relation]} x CROSS JOIN {table[Claim]} o "
            f"WHERE x.{mine}_id = {claim} AND o.id = x.{other}_id {{visible}}",
        )
        for mine, other in (("from_claim", "to_claim"), ("to_claim", "from_claim"))
    )
    return " || '|' || ".join([evidence, entities, outgoing, incoming])


# The columns of the API's rows (`ClaimQuerySet.api_rows`, `api_evidence`), read by
# `claims.api.serializers.ClaimRows`.
API_CLAIM_FIELDS = ["id", "statement", "original_wording", "kind", "about_date", "about_precision", "about_text"]
API_CLAIM_FIELDS += ["likelihood", "confidence", "status", "created_at", "updated_at"]
API_ATTRIBUTION_FIELDS = ["id", "quote", "start", "end", "verb", "mode", "stance", "hedged", "credibility"]
API_ATTRIBUTION_FIELDS += ["said_on", "via_id", "relay_of_id", "updated_at"]
API_SOURCE_FIELDS = ["label", "kind", "description", "affiliation", "side", "anonymous", "reliability"]
API_SOURCE_FIELDS += ["same_as_id", "member_of_id", "created_at", "updated_at"]
API_REPORT_FIELDS = ["title", "outlet", "author", "published", "url", "language", "kind"]
API_ENTITY_FIELDS = ["name", "kind", "aliases", "description"]


class ClaimQuerySet(models.QuerySet):
    def vetted(self) -> ClaimQuerySet:
        return self.filter(status=self.model.Status.VETTED)

    def in_review(self) -> ClaimQuerySet:
        return self.filter(status=self.model.Status.IN_REVIEW)

    def readable_by(self, user, through: str | None = None) -> Q | Exists:
        """The condition "`user` may read this claim": every claim for analysts and reviewers, vetted ones for
        API consumers, none for anyone else. On the claim's own row, or, with `through` (a foreign key to
        claims, such as a relation's "to_claim"), on the claim it points to, as `EXISTS` on the primary key.

        Never `IN` over the set of readable claims, nor a join filtered on their status: both grow with the
        archive (a planner without statistics starts from every vetted claim), where this is one seek per row.
        """
        condition = Q(pk__in=[])
        if user is not None and user.is_authenticated:
            if user.has_perm("claims.view_claim"):
                return Q()
            if user.has_perm("claims.access_api"):
                condition = Q(status=self.model.Status.VETTED)
        if through is None:
            return condition
        return Exists(self.model.objects.order_by().filter(condition, pk=OuterRef(through)))

    def visible_to(self, user) -> ClaimQuerySet:
        """What `user` may read: everything for analysts and reviewers, vetted claims for API consumers."""
        return self.filter(self.readable_by(user))

    # Beyond this many changed rows since the moment, a scan of the claims in the page's order finds a page
    # sooner than the set of their ids is built (`changed_since`).
    DENSE_CHANGES = 20_000

    def changed_since(self, moment, user=None) -> ClaimQuerySet:
        """Claims whose content or evidence changed at or after `moment`: what an API sync must fetch again.

        The claim itself (any save, status step, weight, removed attribution or
        relation, renamed entity bumps it: see the services), its attributions,
        the sources and reports they cite (a relabel or a regrade), and its
        relations: added, or to a claim that changed (e.g. became vetted, so
        the relation now shows). Only relations to claims `user` may read count
        (None: anyone's): a draft's change must not tell a consumer that
        unvetted work exists.

        A sync asks for what changed since its last pull: few rows, however
        large the archive. So the answer is a set of ids, each part a seek on a
        timestamp index, then the claims by primary key: a page never scans
        the claims to test each. One query first counts the changes (up to
        `DENSE_CHANGES`): when more changed (a first pull from long ago), the
        claims are tested in the page's order instead, which finds a page
        within a few rows.
        """
        Attribution, ClaimRelation = related(self, "attributions"), related(self, "outgoing_relations")
        Source, Report = related(self, "attributions", "source"), related(self, "attributions", "report")
        claims = self.model.objects

        changed = claims.filter(updated_at__gte=moment).order_by().values("pk")
        sources = Source.objects.filter(updated_at__gte=moment).order_by().values("pk")
        reports = Report.objects.filter(updated_at__gte=moment).order_by().values("pk")
        attributions, relations = Attribution.objects.order_by(), ClaimRelation.objects.order_by()
        outgoing, incoming = relations, relations
        if user is not None:  # relations count only to claims the reader may read: checked by primary key
            outgoing = relations.filter(claims.readable_by(user, "to_claim"))
            incoming = relations.filter(claims.readable_by(user, "from_claim"))
        parts = [
            attributions.filter(updated_at__gte=moment).values("claim_id"),
            attributions.filter(source__in=sources).values("claim_id"),
            attributions.filter(report__in=reports).values("claim_id"),
            outgoing.filter(created_at__gte=moment).values("from_claim_id"),
            outgoing.filter(to_claim__in=changed).values("from_claim_id"),
            incoming.filter(created_at__gte=moment).values("to_claim_id"),
            incoming.filter(from_claim__in=changed).values("to_claim_id"),
        ]
        if changed.union(*parts, all=True)[: self.DENSE_CHANGES].count() < self.DENSE_CHANGES:
            return self.filter(pk__in=changed.union(*parts))

        evidence = attributions.filter(
            Q(updated_at__gte=moment) | Q(source__updated_at__gte=moment) | Q(report__updated_at__gte=moment)
        )
        related_changed = Q(created_at__gte=moment)
        # Each test is a seek on the claim's own rows. `per_row` (a redundant `<=` beside the `=`) keeps
        # PostgreSQL from hashing the whole subquery instead: inside an OR, it turns an EXISTS correlated by
        # equality alone into a hashed subplan that reads every attribution (25 s at a million claims).
        per_row = {"claim": OuterRef("pk"), "claim__lte": OuterRef("pk")}
        return self.filter(
            Q(updated_at__gte=moment)
            | Exists(evidence.filter(**per_row))
            | Exists(
                outgoing.filter(
                    related_changed | Q(to_claim__updated_at__gte=moment),
                    from_claim=OuterRef("pk"),
                    from_claim__lte=OuterRef("pk"),
                )
            )
            | Exists(
                incoming.filter(
                    related_changed | Q(from_claim__updated_at__gte=moment),
                    to_claim=OuterRef("pk"),
                    to_claim__lte=OuterRef("pk"),
                )
            )
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
        """`supports_count` and `contradicts_count`: each claim's attributions by stance, counted per claim (a
        subquery on the attributions' claim index), so that filters and orderings of the claims stay seeks."""
        Attribution = related(self, "attributions")
        Stance = Attribution.Stance

        return self.annotate(
            supports_count=count_of(Attribution.objects.filter(stance=Stance.SUPPORTS), "claim"),
            contradicts_count=count_of(Attribution.objects.filter(stance=Stance.CONTRADICTS), "claim"),
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
        the claims' own, whatever the number of claims. (The API's own list
        and detail read `api_rows` and `api_evidence` instead: the same data as
        plain rows; this recipe serves the exports and the browsable API.)
        """
        Attribution, ClaimRelation = related(self, "attributions"), related(self, "outgoing_relations")
        claims = self.model.objects

        return self.prefetch_related(
            Prefetch(
                "attributions",
                # The report's body can be long and the API does not serve it.
                queryset=Attribution.objects.select_related("source", "report").defer("report__body"),
            ),
            "entities",
            Prefetch(
                "outgoing_relations",
                queryset=ClaimRelation.objects.filter(claims.readable_by(user, "to_claim")).select_related("to_claim"),
            ),
            Prefetch(
                "incoming_relations",
                queryset=ClaimRelation.objects.filter(claims.readable_by(user, "from_claim")).select_related(
                    "from_claim"
                ),
            ),
        )

    # The reviewers' pages: one recipe per screen, each pinned by a query-count test
    # in tests/claims/test_views.py or tests/sources/test_views.py.

    def recently_changed(self) -> ClaimQuerySet:
        return self.order_by("-updated_at", "-id")

    def for_list_page(self) -> ClaimQuerySet:
        """/claims/, an entity's claims and the overview: evidence counts, entities and the attributions' sources
        preloaded (the "Sources" column: one item per source and grade, so ordered by source, then credibility).

        Ordered explicitly: Meta.ordering is not applied to queries that aggregate.
        """
        Attribution = related(self, "attributions")
        attributions = Attribution.objects.select_related("source").order_by(
            "source__label", "source_id", "credibility"
        )
        return (
            self.with_counts().recently_changed().prefetch_related("entities", Prefetch("attributions", attributions))
        )

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

    # The API's hot path: plain rows, serialised by hand (`claims.api.serializers.ClaimRows`).

    def api_rows(self, user) -> models.QuerySet:
        """The claims as `values()` rows for the API: their own columns (`API_CLAIM_FIELDS`), their weight as
        JSON text (`corroboration_json`: decoded only if the page is served), and `fingerprint`, what their
        representation depends on besides their own row (`with_fingerprint`). One query: a conditional
        request's ETag is derived from it before anything else is read."""
        return self.with_fingerprint(user).values(
            *API_CLAIM_FIELDS, "fingerprint", corroboration_json=Cast("corroboration", TextField())
        )

    def with_fingerprint(self, user) -> ClaimQuerySet:
        """`fingerprint`: a summary of everything a claim's API representation shows beyond its own row, as far
        as `user` may see it, so that the row's `updated_at` and this string change whenever the representation
        does, and (almost) only then.

        - its attributions: how many, the sum of their ids (ids are never reused: any addition or removal
          changes the pair), the newest change of them and of the sources and reports they cite, and their
          Admiralty grades as values (`id × (8 × reliability + credibility)`, summed), so that even a bulk
          regrade that bypasses `updated_at` shows;
        - its entities: how many, the sum of their ids, the newest change;
        - its relations both ways to claims `user` may read: how many, the sum of their ids, the newest change
          of the claim at the other end (whose statement the relation shows).

        Four correlated subqueries, each a seek on an indexed foreign key of the claim's few related rows. In
        SQL written once (`fingerprint_sql`): built from expressions, the ORM took longer to compile them than
        the database to run them, on every request.
        """
        readable = self.readable_by(user)
        if readable == Q():
            visible, params = "", []
        elif readable == Q(status=self.model.Status.VETTED):
            visible, params = "AND o.status = %s", [self.model.Status.VETTED.value]
        else:
            visible, params = "AND 1 = 0", []
        sql = fingerprint_sql(self.model, connections[self.db].vendor).replace("{visible}", visible)
        return self.annotate(fingerprint=RawSQL(sql, params * 2, output_field=TextField()))

    def api_evidence(self, ids: list[int], user) -> dict[str, list[dict]]:
        """What the API shows with the claims `ids`, as `values()` rows in four queries, the same rows and
        orders as `for_api`'s prefetches: "attributions" with their source's and report's columns, "entities",
        and the "outgoing" and "incoming" relations to claims `user` may read, with the other claim's id and
        statement (as `other_id`, `other_statement`). Each row names its claim (`claim_id`).

        Each query is compiled once per page size and reader's scope (`_CompiledValues`): building and
        compiling the four querysets took three times as long as the database took to run them."""
        if not ids:
            return {"attributions": [], "entities": [], "outgoing": [], "incoming": []}
        scope = repr(self.readable_by(user))
        evidence = {}
        for name in ("attributions", "entities", "outgoing", "incoming"):
            key = (name, len(ids), scope, self.db)
            compiled = _COMPILED.get(key)
            if compiled is None:
                sentinels = [-(n + 1) for n in range(len(ids))]  # ids are positive: these mark where ids go
                compiled = _CompiledValues(self._api_evidence_query(name, sentinels, user), sentinels)
                if len(_COMPILED) >= _COMPILED_MAX:
                    _COMPILED.clear()
                _COMPILED[key] = compiled
            evidence[name] = compiled.rows(ids)
        return evidence

    def _api_evidence_query(self, name: str, ids: list[int], user) -> models.QuerySet:
        Attribution, ClaimRelation = related(self, "attributions"), related(self, "outgoing_relations")
        Entity, Tagging = related(self, "entities"), self.model.entities.through
        claims = self.model.objects
        if name == "attributions":
            source = ["source_id", *(f"source__{field}" for field in API_SOURCE_FIELDS)]
            report = ["report_id", *(f"report__{field}" for field in API_REPORT_FIELDS)]
            return (
                Attribution.objects.filter(claim_id__in=ids)
                .order_by(*Attribution._meta.ordering)
                .values("claim_id", *API_ATTRIBUTION_FIELDS, *source, *report)
            )
        if name == "entities":
            return (
                Tagging.objects.filter(claim_id__in=ids)
                .order_by(*(f"entity__{field}" for field in Entity._meta.ordering))
                .values("claim_id", "entity_id", *(f"entity__{field}" for field in API_ENTITY_FIELDS))
            )
        this, other = ("from_claim", "to_claim") if name == "outgoing" else ("to_claim", "from_claim")
        return (
            ClaimRelation.objects.filter(claims.readable_by(user, other), **{f"{this}_id__in": ids})
            .order_by(*ClaimRelation._meta.ordering)
            .values(
                "kind",
                claim_id=F(f"{this}_id"),
                other_id=F(f"{other}_id"),
                other_statement=F(f"{other}__statement"),
            )
        )


class _CompiledValues:
    """A `values()` query compiled once with placeholder ids (`sentinels`), then run with other ids: the same
    SQL, parameters and conversions as the queryset's own iteration (Django's `ValuesIterable`)."""

    def __init__(self, queryset: models.QuerySet, sentinels: list[int]):
        query = queryset.query
        self.alias = queryset.db
        self.compiler = query.get_compiler(queryset.db)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        where = {sentinel: index for index, sentinel in enumerate(sentinels)}
        self.slots = [(position, where[value]) for position, value in enumerate(params) if value in where]
        if sorted(index for _, index in self.slots) != list(range(len(sentinels))):
            raise ValueError(f"each id must be one parameter of the query: {self.sql}")
        self.names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )

    def rows(self, ids: list[int]) -> list[dict]:
        params = self.params.copy()
        for position, index in self.slots:
            params[position] = ids[index]
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self.compiler.results_iter(results=[fetched])]


_COMPILED: dict[tuple, _CompiledValues] = {}
_COMPILED_MAX = 1_000  # page sizes × scopes × 4 queries: far more than are ever asked for


class AttributionQuerySet(models.QuerySet):
    def in_text_order(self) -> AttributionQuerySet:
        return self.order_by("report_id", "start", "end", "id")

    def for_report(self, report) -> AttributionQuerySet:
        """A report's attributions in text order, with what a reader of the report needs."""
        return self.filter(report=report).in_text_order().select_related("claim", "source", "relay_of__report")

    def visible_to(self, user) -> AttributionQuerySet:
        """Attributions of the claims `user` may read (`ClaimQuerySet.readable_by` decides)."""
        return self.filter(related(self, "claim").objects.readable_by(user, "claim"))

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
        return self.annotate(claim_count=count_of(related(self, "claims").entities.through.objects.all(), "entity"))

    def visible_to(self, user) -> EntityQuerySet:
        """Every entity for analysts and reviewers; for API consumers, those of claims they may read (`EXISTS` on
        the tagging's entity index, so a page of entities seeks)."""
        if user.is_authenticated and user.has_perm("claims.view_entity"):
            return self
        Claim = related(self, "claims")
        concerned = Claim.entities.through.objects.filter(Claim.objects.readable_by(user, "claim"))
        return self.filter(Exists(concerned.filter(entity=OuterRef("pk"))))

    def for_api(self, user) -> EntityQuerySet:
        """The API's recipe: one query, nothing to preload."""
        return self
