"""The claims page's cost in process, without a network: the API through Django's test client, and the limit
(`bench.rawapp`) called directly, on the database the benchmark generated. Run by `served` in a process of
its own whose DATABASE_URL is that database, while no load runs."""

from __future__ import annotations

import base64
import statistics
import time
from urllib.parse import quote

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import rawapp

HOST = "127.0.0.1"


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


def measure(info: dict, raw_database: str) -> dict:
    """Median ms of the API's page 1, a deep cursor page and a 304, and of the limit's two pages."""
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
    return {
        "api_page_1": median_ms(lambda: client.get(page_1)),
        "api_deep": median_ms(lambda: client.get(deep)),
        "api_304": median_ms(lambda: client.get(page_1, HTTP_IF_NONE_MATCH=etag)),
        "limit_page_1": median_ms(lambda: limit.body(f"http://{HOST}{page_1}", None)),
        "limit_deep": median_ms(lambda: limit.body(f"http://{HOST}{deep}", cursor)),
        "api_queries": queries,
        "identical": first.content == limit.body(f"http://{HOST}{page_1}", None),
    }
