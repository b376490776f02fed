"""The served benchmark: generate, serve under gunicorn, load with wrk, compare, in one run.

For each database (SQLite at 10,000 and 100,000 claims; PostgreSQL at 10,000 and 1,000,000 with BENCH_PG=1):

1. a migrated empty database (migrated once, then copied: a file copy on SQLite, a template on PostgreSQL);
2. `manage.py benchmark --generate N` fills it (`bench.generate`);
3. the app under gunicorn with the production settings (`gunicorn.conf.py`, DEBUG=0, persistent
   connections, collected static files), the limit (`bench.rawapp`) under the same gunicorn, and, on SQLite,
   Datasette (`bench.datasette_app`), each with the same number of worker processes;
4. the in-process costs (`bench.inprocess`), while nothing else runs;
5. each page under wrk at 8 connections for a few seconds, after two warm-up requests that also check
   the answer (status, that the limit's bytes are the API's, and that the graph draws about 1,000 claims).

Everything it starts it stops, and every database it made it deletes, also on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote

import django

from bench import datasette_app
from bench.inprocess import GRAPH_CLAIMS, claim_nodes, deep_cursor, graph_path
from bench.load import CONNECTIONS, TIMEOUT, Load, run_wrk, wrk_path

BASE_DIR = Path(__file__).resolve().parent.parent
DOCS = BASE_DIR / "docs" / "benchmarks.md"
MAINTENANCE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
CLAIMS_PAGE = "/claims/ (reviewer's page)"
GRAPH_PAGE = f"graph data, {GRAPH_CLAIMS:,} claims"


@dataclass
class Page:
    label: str
    server: str  # app, limit or datasette
    path: str
    reader: str = "consumer"  # consumer (token), reviewer (session), or none
    conditional: bool = False  # send the ETag of the page's 200 as If-None-Match: a 304


@dataclass
class Measured:
    """One database at one size: the load per page, the in-process costs, the checks."""

    vendor: str
    size: int
    loads: dict[str, Load] = field(default_factory=dict)
    costs: dict = field(default_factory=dict)
    generated_in: float = 0.0
    identical_over_http: bool | None = None
    failures: dict[str, str] = field(default_factory=dict)  # page: why it could not be measured
    order: list[str] = field(default_factory=list)  # the pages, in the order measured
    database: str = ""  # the database's name and version


class PageFailed(Exception):
    """A page that did not answer as it should before the load: measured as failed, the run goes on."""


def _stop(signum, frame):
    raise KeyboardInterrupt


def run(*, sqlite_sizes, pg_sizes, seconds, workers, write, say) -> list[Measured]:
    """The whole benchmark; `say` prints a line."""
    wrk_path()
    previous = signal.signal(signal.SIGTERM, _stop)
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="claimtracker-bench-") as scratch:
            scratch = Path(scratch)
            static = _collect_static(scratch)
            if sqlite_sizes:
                template = _sqlite_template(scratch)
                for size in sqlite_sizes:
                    path = scratch / f"claims-{size}.sqlite3"
                    shutil.copyfile(template, path)
                    try:
                        results.append(
                            _measure(
                                "sqlite", size, f"sqlite:///{path}", str(path), scratch, static, seconds, workers, say
                            )
                        )
                    finally:
                        for suffix in ("", "-wal", "-shm"):
                            Path(f"{path}{suffix}").unlink(missing_ok=True)
            if pg_sizes:
                with _postgres_databases(pg_sizes, scratch) as urls:
                    for size in pg_sizes:
                        results.append(
                            _measure("postgresql", size, urls[size], urls[size], scratch, static, seconds, workers, say)
                        )
    finally:
        signal.signal(signal.SIGTERM, previous)
    for vendor in ("sqlite", "postgresql"):
        measured = [m for m in results if m.vendor == vendor]
        if measured:
            section = report(measured, seconds=seconds, workers=workers)
            say(section)
            if write:
                write_docs(vendor, section)
    return results


# Databases ------------------------------------------------------------------------------------------------


def _env(database_url: str, static: Path, **extra) -> dict[str, str]:
    """The production settings (no local .env), on this machine over plain HTTP."""
    own = {"DEBUG", "DATABASE_URL", "DATABASE_REPLICA_URL", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "STATIC_ROOT"}
    env = {key: value for key, value in os.environ.items() if key not in own}  # REDIS_URL, if set, is kept
    env.update(
        ENV_FILE=str(BASE_DIR / "no-such-env-file"),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        SERVE_INSECURE_HTTP="1",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="60",
        STATIC_ROOT=str(static),
        LOG_LEVEL="ERROR",
        GUNICORN_TIMEOUT="300",  # a slow page is measured, not killed
        # Throttled as in production (a cache read and write per request), at a rate the load never reaches.
        API_THROTTLE_RATE="1000000/second",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def _manage(*args, env, timeout=3600) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def _collect_static(scratch: Path) -> Path:
    static = scratch / "static"
    _manage("collectstatic", "--no-input", "--verbosity", "0", env=_env("sqlite:///:memory:", static))
    return static


def _sqlite_template(scratch: Path) -> Path:
    template = scratch / "template.sqlite3"
    _manage("migrate", "--no-input", "--verbosity", "0", env=_env(f"sqlite:///{template}", scratch / "static"))
    with sqlite3.connect(template) as db:  # one file, nothing left in a write-ahead log, before copying
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return template


@contextmanager
def _postgres_databases(sizes, scratch: Path):
    import psycopg

    maintenance = os.environ.get("BENCH_PG_URL", MAINTENANCE_URL)
    base = maintenance.rsplit("/", 1)[0]
    template = "claimtracker_bench_template"
    names = {size: f"claimtracker_bench_{size}" for size in sizes}
    with psycopg.connect(maintenance, autocommit=True) as admin:
        for name in [template, *names.values()]:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        try:
            admin.execute(f'CREATE DATABASE "{template}"')
            _manage("migrate", "--no-input", "--verbosity", "0", env=_env(f"{base}/{template}", scratch / "static"))
            for name in names.values():
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            yield {size: f"{base}/{name}" for size, name in names.items()}
        finally:
            for name in [template, *names.values()]:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Servers --------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Servers:
    """The processes this run started, each in a session of its own; all stopped on exit."""

    def __init__(self, scratch: Path):
        self.scratch = scratch
        self.processes: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> str:
        port = _free_port()
        command = [part.replace("{port}", str(port)) for part in command]
        log = open(self.scratch / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append((name, process))
        return f"http://127.0.0.1:{port}"

    def wait_until_up(self, name: str, url: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        process = dict(self.processes)[name]
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} stopped:\n{(self.scratch / f'{name}.log').read_text()[-3000:]}")
            try:
                urllib.request.urlopen(url, timeout=5)
                return
            except urllib.error.HTTPError:
                return  # it answers (a 401 or 404 says it is up)
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{name} did not answer within {timeout} s")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for _, process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _, process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to the login page, say) is an answer to check, not to follow


_opener = urllib.request.build_opener(_NoRedirect)


def _get(url: str, headers: dict[str, str]) -> tuple[int, dict, bytes]:
    """Status, headers and body of one GET; redirects are not followed."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with _opener.open(request, timeout=300) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# One database at one size --------------------------------------------------------------------------------


def _measure(vendor, size, database_url, raw_database, scratch, static, seconds, workers, say) -> Measured:
    measured = Measured(vendor, size)
    env = _env(database_url, static)
    say(f"{vendor}, {size:,} claims: generating")
    started = time.perf_counter()
    info_file = scratch / f"info-{vendor}-{size}.json"
    _manage("benchmark", "--generate", str(size), "--out", str(info_file), env=env)
    measured.generated_in = time.perf_counter() - started
    info = json.loads(info_file.read_text())
    measured.database = info["database"]
    say(f"{vendor}, {size:,} claims: generated in {measured.generated_in:.0f} s; in-process costs")
    costs_file = scratch / f"costs-{vendor}-{size}.json"
    _manage(
        "benchmark", "--in-process", str(info_file), "--raw-database", raw_database, "--out", str(costs_file), env=env
    )
    measured.costs = json.loads(costs_file.read_text())

    gunicorn = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", "127.0.0.1:{port}"]
    gunicorn += ["--workers", str(workers)]
    with Servers(scratch) as servers:
        urls = {
            "app": servers.start("app", [*gunicorn, "claimtracker.wsgi:application"], env),
            "limit": servers.start(
                "limit", [*gunicorn, "bench.rawapp:app"], {**env, "BENCH_RAW_DATABASE": raw_database}
            ),
        }
        if vendor == "sqlite":
            uvicorn = [
                sys.executable,
                "-m",
                "uvicorn",
                "bench.datasette_app:app",
                "--host",
                "127.0.0.1",
                "--port",
                "{port}",
            ]
            uvicorn += ["--workers", str(workers), "--no-access-log", "--log-level", "warning"]
            urls["datasette"] = servers.start("datasette", uvicorn, {**env, "BENCH_DATASETTE_FILE": raw_database})
        for name, url in urls.items():
            servers.wait_until_up(name, url + "/")
        for page in pages(info, database=Path(raw_database).stem, with_datasette=vendor == "sqlite"):
            measured.order.append(page.label)
            try:
                load = measured.loads[page.label] = _load(page, urls, info, seconds, measured)
            except PageFailed as failure:  # measure the other pages; say why this one could not be
                measured.failures[page.label] = str(failure)
                log = (scratch / f"{page.server}.log").read_text(errors="replace")[-4000:]
                say(f"  {page.label:<34} FAILED: {failure}\n{log}")
                continue
            if not load.requests:
                say(f"  {page.label:<34} no answer within {TIMEOUT} s")
                continue
            say(f"  {page.label:<34} {load.per_second:>8.1f} req/s  p50 {load.p50:>8.1f} ms  p99 {load.p99:>8.1f} ms")
    return measured


def pages(info: dict, *, database: str, with_datasette: bool) -> list[Page]:
    cursor = quote(deep_cursor(info["middle_claim"]))
    since = quote(info["updated_since"])
    listed = [
        Page("API claims, page 1", "app", "/api/v1/claims/"),
        Page("API claims, deep cursor", "app", f"/api/v1/claims/?cursor={cursor}"),
        Page(
            "API claims, filtered",
            "app",
            f"/api/v1/claims/?entity={info['popular_entity']}&kind={info['filtered_kind']}",
        ),
        Page("API claims, updated_since", "app", f"/api/v1/claims/?updated_since={since}"),
        Page("API claims, CSV", "app", "/api/v1/claims/?format=csv"),
        Page("API claims, 304 (If-None-Match)", "app", "/api/v1/claims/", conditional=True),
        Page(CLAIMS_PAGE, "app", "/claims/", reader="reviewer"),
        Page(
            f"/reports/{info['big_report']}/ (300 attributions)",
            "app",
            f"/reports/{info['big_report']}/",
            reader="reviewer",
        ),
        Page(GRAPH_PAGE, "app", graph_path(info), reader="reviewer"),
        Page("limit: page 1", "limit", "/api/v1/claims/"),
        Page("limit: deep cursor", "limit", f"/api/v1/claims/?cursor={cursor}"),
    ]
    if with_datasette:
        listed += [
            Page("Datasette: page 1", "datasette", datasette_app.page_path(database, 2**62), reader="none"),
            Page(
                "Datasette: deep",
                "datasette",
                datasette_app.page_path(database, info["middle_claim"] + 1),
                reader="none",
            ),
        ]
    return listed


def _load(page: Page, urls: dict, info: dict, seconds: float, measured: Measured) -> Load:
    headers = {
        "consumer": {"Authorization": f"Token {info['token']}"},
        "reviewer": {"Cookie": f"sessionid={info['session']}"},
        "none": {},
    }[page.reader]
    url = urls[page.server] + page.path
    status, answer_headers, body = _get(url, headers)
    if status != 200:
        raise PageFailed(f"HTTP {status}")
    if page.conditional:
        headers = {**headers, "If-None-Match": answer_headers["ETag"]}
        status, _, _ = _get(url, headers)
        if status != 304:
            raise PageFailed(f"HTTP {status} to its own ETag, not 304")
    if page.label == "limit: page 1":
        _, _, api = _get(urls["app"] + page.path, {"Authorization": f"Token {info['token']}"})
        host = urls["limit"].split("//")[1].encode()
        measured.identical_over_http = body.replace(host, urls["app"].split("//")[1].encode()) == api
    if page.label == GRAPH_PAGE:
        drawn = claim_nodes(json.loads(body))
        if not 0.9 * GRAPH_CLAIMS <= drawn <= 1.1 * GRAPH_CLAIMS:
            raise PageFailed(f"{drawn:,} claims drawn, not about {GRAPH_CLAIMS:,}")
    load = run_wrk(url, headers, seconds)
    if load.requests < 2 * CONNECTIONS:  # a slow page: give it long enough for percentiles to mean something
        load = run_wrk(url, headers, min(60, max(4 * seconds, 2 * CONNECTIONS / max(load.per_second, 0.1))))
    return load


# The report ------------------------------------------------------------------------------------------------


def _ratio(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def report(measured: list[Measured], *, seconds: float, workers: int) -> str:
    """The Markdown section of docs/benchmarks.md for one database."""
    vendor = measured[0].vendor
    sizes = [m.size for m in measured]
    smallest, largest = measured[0], measured[-1]
    lines = [
        f"### {smallest.database}",
        "",
        f"Measured {date.today().isoformat()} with `make bench`{' (BENCH_PG=1)' if vendor == 'postgresql' else ''}: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, Django {django.get_version()}; gunicorn with "
        f"{workers} sync workers (Datasette: uvicorn, {workers} workers); wrk, {CONNECTIONS} connections, "
        f"{seconds:g} s a page. Generated in "
        + ", ".join(f"{m.generated_in:.0f} s ({m.size:,})" for m in measured)
        + ".",
        "",
        "| page | " + " | ".join(f"{size:,}: req/s | p50 ms | p99 ms" for size in sizes) + " |",
        "| --- | " + " | ".join("---: | ---: | ---:" for _ in sizes) + " |",
    ]
    labels = list(dict.fromkeys(label for m in measured for label in m.order))
    for label in labels:
        cells = []
        for m in measured:
            load = m.loads.get(label)
            cells.append(
                f"failed: {m.failures[label]} | – | –"
                if label in m.failures
                else "– | – | –"
                if load is None
                else f"none within {TIMEOUT} s | – | –"
                if not load.requests
                else f"{load.per_second:.1f} | {load.p50:.1f} | {load.p99:.1f}"
                + (f" ({load.errors} errors)" if load.errors else "")
            )
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    def rps(m: Measured, label: str) -> float | None:
        load = m.loads.get(label)
        return load.per_second if load and load.per_second else None

    def divide(a, b):
        return None if a is None or b is None or b == 0 else a / b

    report_label = next(label for label in measured[0].order if label.startswith("/reports/"))
    rows = [
        (
            "API page 1 in process, ÷ the limit in process",
            [divide(m.costs["api_page_1"], m.costs["limit_page_1"]) for m in measured],
            "≤ 3 at 100k",
        ),
        (
            "API page 1 req/s ÷ the limit's",
            [divide(rps(m, "API claims, page 1"), rps(m, "limit: page 1")) for m in measured],
            "",
        ),
        (
            "API page 1 req/s ÷ Datasette's",
            [divide(rps(m, "API claims, page 1"), rps(m, "Datasette: page 1")) for m in measured],
            "≥ 1.0",
        ),
        (
            "API deep cursor req/s ÷ Datasette's",
            [divide(rps(m, "API claims, deep cursor"), rps(m, "Datasette: deep")) for m in measured],
            "≥ 1.0",
        ),
        (
            "API page 1 in process, this size ÷ the smallest",
            [divide(m.costs["api_page_1"], smallest.costs["api_page_1"]) for m in measured],
            "≤ 1.3",
        ),
        (
            "the limit, this size ÷ the smallest",
            [divide(m.costs["limit_page_1"], smallest.costs["limit_page_1"]) for m in measured],
            "",
        ),
        (
            "API deep cursor ÷ page 1, in process",
            [divide(m.costs["api_deep"], m.costs["api_page_1"]) for m in measured],
            "≤ 1.2",
        ),
        ("API 304 ÷ 200, in process", [divide(m.costs["api_304"], m.costs["api_page_1"]) for m in measured], "< 0.1"),
        (f"graph data, {GRAPH_CLAIMS:,} claims, in process (s)", [m.costs["graph"] / 1000 for m in measured], "< 1 s"),
    ]
    lines += [
        "",
        "| ratio | " + " | ".join(f"{size:,}" for size in sizes) + " | target |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " | --- |",
    ]
    lines += [
        f"| {label} | " + " | ".join(_ratio(v) for v in values) + f" | {target} |" for label, values, target in rows
    ]
    lines += [
        "",
        "In process (median ms of one request, no network): "
        + "; ".join(
            f"{m.size:,}: API page 1 {m.costs['api_page_1']:.1f} ({m.costs['api_queries']} queries), deep "
            f"{m.costs['api_deep']:.1f}, 304 {m.costs['api_304']:.1f}, the API's root (the framework's floor: "
            f"authentication, permissions, throttle, no data) {m.costs['api_floor']:.1f}, "
            f"the limit {m.costs['limit_page_1']:.1f} "
            f"(deep {m.costs['limit_deep']:.1f}), the graph {m.costs['graph']:.1f} ({m.costs['graph_claims']:,} claims)"
            for m in measured
        )
        + ". The limit's bytes equal the API's: "
        + ", ".join(
            f"{m.size:,} {'yes' if m.costs['identical'] and m.identical_over_http in (True, None) else 'NO'}"
            for m in measured
        )
        + f". `/claims/` p50 at {largest.size:,}: {_p50(largest, CLAIMS_PAGE)}, the report page "
        f"{_p50(largest, report_label)} (target < 150 ms at 100k on SQLite); both are served from the cache of "
        "rendered pages once seen at the data's version (`claims.pagecache`). In process, rendered from the rows "
        "(the first visit after a write) and from that cache: "
        + "; ".join(
            f"{m.size:,}: `/claims/` {m.costs['claims_page_uncached']:.1f} and {m.costs['claims_page_cached']:.1f}, "
            f"the report page {m.costs['report_uncached']:.1f} and {m.costs['report_cached']:.1f}"
            for m in measured
        )
        + ". The graph's data (from the rows in process, above; from the cache once drawn, under load) for "
        f"{GRAPH_CLAIMS:,} claims, p50: "
        + ", ".join(f"{_p50(m, GRAPH_PAGE)} at {m.size:,}" for m in measured)
        + " (target < 1 s).",
    ]
    return "\n".join(lines)


def _p50(measured: Measured, label: str) -> str:
    load = measured.loads.get(label)
    if load is None:
        return f"failed ({measured.failures.get(label, 'not measured')})"
    return f"{load.p50:.0f} ms" if load.requests else f"no answer within {TIMEOUT} s"


def write_docs(vendor: str, section: str) -> None:
    """Replace this database's section of docs/benchmarks.md (between its markers) with `section`."""
    start, end = f"<!-- bench:{vendor}:start -->", f"<!-- bench:{vendor}:end -->"
    text = DOCS.read_text(encoding="utf-8")
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    if not rest:
        raise RuntimeError(f"{DOCS} has no {start} marker")
    DOCS.write_text(f"{before}{start}\n{section}\n{end}{after}", encoding="utf-8")
