"""`make bench`: claimtracker served as in production, measured as its users feel it.

Not part of the app. `manage.py benchmark` (claims/management/commands/benchmark.py) runs it:

- `generate`: N claims shaped like the demo's, written in bulk into an empty, migrated database;
- `rawapp`: the physical limit, a WSGI app of a few dozen lines that returns the API's claims page byte for
  byte from plain SQL and orjson (tests/test_production.py checks the bytes);
- `datasette_app`: Datasette serving the same SQLite file, with a canned query of the same page;
- `load`: wrk at fixed concurrency, and what it measured;
- `served`: runs the app, the limit and Datasette under the same servers, drives each page with wrk, and
  prints (and writes into docs/benchmarks.md) the throughput, latencies and their ratios;
- `inprocess`: the same pages through Django's test client, without a network, for the cost ratios;
- `lists`: the earlier in-process timings of the admin, page and API lists at small sizes.
"""
