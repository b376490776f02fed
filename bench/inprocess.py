"""The claims page's cost in process, without a network: the API through Django's test client, and the limit
(`bench.rawapp`) called directly, on the database the benchmark generated; and the graph's data for about
1,000 claims, read by the reviewer. Run by `served` in a process of its own whose DATABASE_URL is that
database, while no load runs."""

from __future__ import annotations

import base64
import datetime as dt
import statistics
import time
from urllib.parse import quote, urlencode

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import rawapp
from bench.generate import POPULAR_ENTITIES

HOST = "127.0.0.1"
GRAPH_CLAIMS = 1_000  # issue 13: the graph answers this many claims in under 1 s


def median_ms(call, *, runs: int = 25, budget: float = 4.0) -> float:
    """Median wall time of `call` in ms: at least 5 runs, at most `runs`, within about `budget` seconds."""
    call()  # warm: connection, caches, lazy imports
    timings = []
    started = time.perf_counter()
    while len(timings) < runs and (len(timings) < 5 or time.perf_counter() - started < budget):
        began = time.perf_counter()
        call()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def deep_cursor(middle_claim: int) -> str:
    return base64.b64encode(f"p={middle_claim + 1}".encode("ascii")).decode("ascii")


def graph_path(info: dict, claims: int = GRAPH_CLAIMS) -> str:
    """/graph/data/ drawing about `claims` claims: the popular entity's (one claim in POPULAR_ENTITIES) in the
    reports published over that share of the 730 days `bench.generate` spreads them over, from 738 days before
    the generation (7 days after `updated_since`), centred in that span."""
    generated = dt.datetime.fromisoformat(info["updated_since"]) + dt.timedelta(days=7)
    first = (generated - dt.timedelta(days=738)).date()
    days = max(1, min(730, round(730 * claims * POPULAR_ENTITIES / info["claims"])))
    after = first + dt.timedelta(days=(730 - days) // 2)
    before = after + dt.timedelta(days=days - 1)
    query = {"entity": info["popular_entity"], "published_after": after, "published_before": before}
    return f"/graph/data/?{urlencode(query)}"


def claim_nodes(graph: dict) -> int:
    return sum(node["data"]["kind"] == "claim" for node in graph["elements"]["nodes"])


def measure(info: dict, raw_database: str) -> dict:
    """Median ms of the API's page 1, a deep cursor page and a 304, of the limit's two pages, of the graph's
    data for about 1,000 claims (with the number of claims it draws), and of `/claims/` and the report page
    rendered from the rows and from the cache of rendered pages."""
    client = Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Token {info['token']}")
    cursor = deep_cursor(info["middle_claim"])
    page_1, deep = "/api/v1/claims/", f"/api/v1/claims/?cursor={quote(cursor)}"
    first = client.get(page_1)
    assert first.status_code == 200, first.content[:500]
    with CaptureQueriesContext(connection) as captured:
        client.get(page_1)
    queries = len(captured)  # now: the next request empties the connection's log
    etag = first["ETag"]
    assert client.get(page_1, HTTP_IF_NONE_MATCH=etag).status_code == 304
    limit = rawapp.ClaimsPage(*rawapp.connect(raw_database))
    reviewer = Client(HTTP_HOST=HOST)
    reviewer.cookies["sessionid"] = info["session"]
    graph = reviewer.get(graph_path(info))
    assert graph.status_code == 200, graph.content[:500]

    def uncached(path):
        """A reviewer's page rendered from the rows, not from the cache of rendered pages (`claims.pagecache`):
        what the first visit after a write costs."""
        return lambda: (cache.clear(), reviewer.get(path))

    return {
        "api_page_1": median_ms(lambda: client.get(page_1)),
        "api_deep": median_ms(lambda: client.get(deep)),
        "api_304": median_ms(lambda: client.get(page_1, HTTP_IF_NONE_MATCH=etag)),
        # The framework's floor: the API's root (a few links) through the same middleware, token authentication,
        # permission check and throttle, with no data: what any API answer costs before its own work.
        "api_floor": median_ms(lambda: client.get("/api/v1/")),
        "limit_page_1": median_ms(lambda: limit.body(f"http://{HOST}{page_1}", None)),
        "limit_deep": median_ms(lambda: limit.body(f"http://{HOST}{deep}", cursor)),
        "api_queries": queries,
        "identical": first.content == limit.body(f"http://{HOST}{page_1}", None),
        "graph": median_ms(uncached(graph_path(info))),
        "graph_claims": claim_nodes(graph.json()),
        "claims_page_uncached": median_ms(uncached("/claims/")),
        "claims_page_cached": median_ms(lambda: reviewer.get("/claims/")),
        "report_uncached": median_ms(uncached(f"/reports/{info['big_report']}/")),
        "report_cached": median_ms(lambda: reviewer.get(f"/reports/{info['big_report']}/")),
    }
