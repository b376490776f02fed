"""Every list seeks (issue 14): the plans of the pages' queries use indexes that match their filters and order.

The plans are read from the queries a request really runs. They do not depend on the data's size:

- SQLite plans without statistics (no ANALYZE), the same on 30 rows as on 100,000;
- PostgreSQL is asked with sequential scans and sorts priced out (`enable_seqscan`, `enable_sort` off), so a
  plan without them exists exactly when an index serves the query's filter and order (on a large table the
  planner picks it by itself; on a test's few rows it would not need to).

A page's query may not sort the table nor scan it without an index; its subqueries (EXISTS, counts,
fingerprints) must each be a seek. Investigated at 100,000 claims (SQLite) and 1,000,000 (PostgreSQL).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, ClaimRelation
from tests.factories import AttributionFactory, ClaimFactory, ClaimRelationFactory, EntityFactory

POSTGRES = connection.vendor == "postgresql"
TABLES = ("claims_claim", "claims_attribution", "claims_claimrelation", "sources_source", "sources_report")


@pytest.fixture
def consumer_client(consumer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=consumer)[0].key}")
    return client


@pytest.fixture
def archive(db, analyst, reviewer):
    """A few vetted claims with evidence, entities and relations, one withdrawn."""
    claims = []
    for _ in range(4):
        claim = ClaimFactory(status=Claim.Status.VETTED)
        claim.entities.add(EntityFactory())
        AttributionFactory(claim=claim)
        if claims:
            ClaimRelationFactory(from_claim=claim, to_claim=claims[-1], kind=ClaimRelation.Kind.REFINES)
        claims.append(claim)
    services.claim_transition(claim=claims[0], action="retract", by=reviewer, comment="Wrong.")
    return claims


def queries_of(client, url, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return [query["sql"] for query in context.captured_queries]


def outer_table(sql: str) -> str | None:
    """The table after the outermost FROM of `sql` (not a subquery's)."""
    depth = 0
    for position, character in enumerate(sql):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0 and sql.startswith(' FROM "', position):
            return sql[position + 7 : sql.index('"', position + 7)]
    return None


def selecting(queries: list[str], table: str) -> str:
    """The first query that selects rows of `table` (its own FROM, not a subquery's)."""
    found = next((sql for sql in queries if outer_table(sql) == table), None)
    assert found is not None, f"no query selects from {table}: {queries}"
    return found


def plan(sql: str) -> list[tuple[bool, str]]:
    """(top level, line) of the plan of `sql`."""
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql)
            return [(not line.startswith(" "), line.strip()) for (line,) in cursor.fetchall()]
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return [(parent == 0, detail) for _, parent, _, detail in cursor.fetchall()]


def first_table(sql: str) -> str:
    """The table the plan of `sql` reads first (its outermost loop)."""
    for _, line in plan(sql):
        found = re.search(r" on (\w+)" if POSTGRES else r"^(?:SEARCH|SCAN) (\w+)", line)
        if found:
            return found.group(1)
    raise AssertionError(plan(sql))


def assert_seeks(sql: str, *, index: str | None = None, sorts_few: bool = False):
    """No scan of a table without an index, no sort of the table (unless `sorts_few`: a set found by seeks),
    and `index` used, if named."""
    lines = plan(sql)
    text = "\n".join(line for _, line in lines)
    if POSTGRES:
        assert not re.search(rf"Seq Scan on ({'|'.join(TABLES)})\b", text), text
        if not sorts_few:
            assert not re.search(r"(^|-> +)Sort +\(cost", text, re.M), text  # an Incremental Sort sorts ties
    else:
        for top, line in lines:
            # A subquery that scans runs its scan once per outer row; the outer query may walk the rowid in order.
            assert not (not top and re.fullmatch(r"SCAN \S+", line)), text
            # "RIGHT PART OF ORDER BY": ties of an index's order sorted among themselves, not the table.
            sorts = "USE TEMP B-TREE" in line and "RIGHT PART" not in line
            assert not (top and not sorts_few and sorts), text
    if index:
        assert index in text, text


# The API -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({}, "claims_claim_status_id_idx"),
        ({"ordering": "-created"}, "claims_claim_created_idx"),
        ({"source_kind": "anonymous_individual", "reliability": "F"}, "claims_claim_status_id_idx"),
        ({"entity": None, "published_after": "2020-01-01"}, "claims_claim_status_id_idx"),
    ],
    ids=["page", "by creation", "evidence filters", "entity and date"],
)
def test_the_claims_page_walks_an_index_and_seeks_its_evidence(consumer_client, archive, params, index):
    if "entity" in params:
        params["entity"] = archive[1].entities.get().pk

    queries = queries_of(consumer_client, "/api/v1/claims/", params)

    assert_seeks(selecting(queries, "claims_claim"), index=index)  # with its fingerprint subqueries
    # The relations: from the page's claims' ids, never from every vetted claim towards the page's. (SQLite
    # without statistics started from the claims when their status was a join's condition; PostgreSQL chooses
    # by its statistics, which a test's few rows do not have.)
    relations = [sql for sql in queries if outer_table(sql) == "claims_claimrelation"]
    assert relations
    for sql in relations:
        assert_seeks(sql, sorts_few=True)
        assert POSTGRES or first_table(sql) == "claims_claimrelation", plan(sql)


def test_a_sync_page_reads_the_changed_ids_by_index(consumer_client, archive, analyst):
    since = archive[-1].updated_at

    queries = queries_of(consumer_client, "/api/v1/claims/", {"updated_since": since.isoformat()})

    assert_seeks(selecting(queries, "claims_claim"), sorts_few=True)


def test_a_first_sync_from_long_ago_tests_the_claims_in_page_order_each_by_seeks(consumer_client, archive, monkeypatch):
    """When more changed than `DENSE_CHANGES`, the claims are walked in the page's order and each is tested by
    seeks on its own rows. PostgreSQL must not hash a subquery instead: a hashed subplan reads every
    attribution with its source and report (25 s a page at a million claims)."""
    monkeypatch.setattr(Claim.objects._queryset_class, "DENSE_CHANGES", 0)

    queries = queries_of(consumer_client, "/api/v1/claims/", {"updated_since": "2000-01-01T00:00:00Z"})

    page = selecting(queries, "claims_claim")
    assert_seeks(page, index="claims_claim_status_id_idx")
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + page)  # the planner's own choice, nothing priced out
            text = "\n".join(line for (line,) in cursor.fetchall())
        assert "hashed SubPlan" not in text, text


def test_the_withdrawals_feed_seeks_the_steps_out_of_vetted(consumer_client, archive):
    queries = queries_of(consumer_client, "/api/v1/claims/withdrawn/", {"since": "2020-01-01T00:00:00Z"})

    assert_seeks(selecting(queries, "claims_claimtransition"), index="claims_transition_left_idx", sorts_few=True)


@pytest.mark.parametrize("endpoint", ["sources", "reports", "entities"])
def test_the_other_lists_seek_what_a_consumer_may_read(consumer_client, archive, endpoint):
    table = {"sources": "sources_source", "reports": "sources_report", "entities": "claims_entity"}[endpoint]

    assert_seeks(selecting(queries_of(consumer_client, f"/api/v1/{endpoint}/"), table))


# The pages -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"status": "vetted"}], ids=["all", "vetted"])
def test_the_claims_page_counts_evidence_per_claim_without_sorting_the_table(reviewer_client, archive, params):
    queries = queries_of(reviewer_client, "/claims/", params)

    page = next(sql for sql in queries if 'FROM "claims_claim"' in sql and "LIMIT" in sql)
    assert_seeks(page, index="updated_at" if POSTGRES else None)


def test_the_overview_lists_recent_reports_by_index(reviewer_client, archive):
    queries = queries_of(reviewer_client, "/")

    assert_seeks(selecting(queries, "sources_report"), index="sources_report_created_idx")
