"""Served as in production: `make serve`'s settings and gunicorn, Redis shared by every worker, reads on a
replica, and the benchmark's raw-SQL limit returning the API's very bytes."""

import importlib.util
import os
import runpy
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_started
from django.db import close_old_connections, connections, router, transaction
from django.db.utils import ConnectionHandler, load_backend
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.throttling import UserRateThrottle

from claims import services
from claims.models import Claim
from tests.factories import AttributionFactory, ClaimFactory

BASE_DIR = Path(settings.BASE_DIR)
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def fresh_settings(monkeypatch):
    """settings.py executed again, as a module of its own, under the environment the test sets."""
    monkeypatch.setenv("ENV_FILE", "/nonexistent/.env")
    for name in ["DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "DEBUG", "SERVE_INSECURE_HTTP", "ALLOWED_HOSTS"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "k" * 50)

    def load():
        spec = importlib.util.spec_from_file_location("settings_under_test", BASE_DIR / "claimtracker" / "settings.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


# make serve: production settings over plain HTTP on this machine ------------------------------------------


def test_make_serve_answers_plain_http_on_this_machine_with_debug_off(fresh_settings, monkeypatch):
    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("SERVE_INSECURE_HTTP", "1")

    served = fresh_settings()

    assert served.DEBUG is False
    assert (served.SECURE_SSL_REDIRECT, served.SESSION_COOKIE_SECURE, served.CSRF_COOKIE_SECURE) == (False,) * 3
    assert served.SECURE_HSTS_SECONDS == 0
    assert served.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_plain_http_is_refused_for_a_host_name_others_can_reach(fresh_settings, monkeypatch):
    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("SERVE_INSECURE_HTTP", "1")
    monkeypatch.setenv("ALLOWED_HOSTS", "claims.example.org")

    with pytest.raises(ImproperlyConfigured, match=r"SERVE_INSECURE_HTTP=1 is for 127\.0\.0\.1 and localhost only"):
        fresh_settings()


def test_sqlite_writes_ahead_and_takes_the_write_lock_when_a_transaction_begins(
    fresh_settings, monkeypatch, tmp_path, django_db_blocker
):
    path = tmp_path / "claims.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    settings_dict = fresh_settings().DATABASES["default"]
    connection = ConnectionHandler({"default": settings_dict})["default"]  # a file of its own, not the tests'
    connections._connections.probe = connection  # reachable by alias, for transaction.atomic
    try:
        with django_db_blocker.unblock():
            with connection.cursor() as cursor:
                cursor.execute("CREATE TABLE notes (text TEXT)")
                pragmas = {}
                for pragma in ["journal_mode", "synchronous", "busy_timeout"]:
                    cursor.execute(f"PRAGMA {pragma}")
                    pragmas[pragma] = cursor.fetchone()[0]
            other_writer = sqlite3.connect(path, timeout=0)
            with transaction.atomic(using="probe"), pytest.raises(sqlite3.OperationalError, match="locked"):
                other_writer.execute("INSERT INTO notes VALUES ('meanwhile')")  # before this one has written
            other_writer.close()
    finally:
        connection.close()
        delattr(connections._connections, "probe")

    assert pragmas == {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 5000}  # 1: NORMAL
    assert settings_dict["CONN_HEALTH_CHECKS"] is True


def test_gunicorn_runs_a_worker_per_core_and_keeps_database_connections(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("DATABASE_CONN_MAX_AGE", raising=False)

    config = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))

    assert config["workers"] == 2 * os.cpu_count() + 1
    assert os.environ["DATABASE_CONN_MAX_AGE"] == "60"
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))["workers"] == 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_serves_pages_over_http_and_static_files_hashed_compressed_and_cached(tmp_path):
    env = {
        **os.environ,
        "ENV_FILE": "/nonexistent/.env",
        "DEBUG": "0",
        "SERVE_INSECURE_HTTP": "1",
        "SECRET_KEY": "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "WEB_CONCURRENCY": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The project's own files only: the admin's and the API docs' are collected the same way, and slowly.
    ignore = [arg for name in ["admin", "rest_framework", "drf_spectacular_sidecar", "vendor"] for arg in ["-i", name]]
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0", *ignore], cwd=BASE_DIR, env=env, check=True
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = get_when_up(f"http://127.0.0.1:{port}/accounts/login/")
        stylesheet = next(part for part in page.read().decode().split('"') if part.startswith("/static/css/"))
        request = urllib.request.Request(f"http://127.0.0.1:{port}{stylesheet}", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as css:
            headers = css.headers
    finally:
        server.terminate()
        server.wait(timeout=20)

    assert page.status == 200 and page.url.startswith("http://")  # no redirect to HTTPS
    assert stylesheet.count(".") == 2  # claimtracker.<hash>.css
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]


def get_when_up(url: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return urllib.request.urlopen(url, timeout=10)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


# Redis: one throttle count for every worker -----------------------------------------------------------------


def test_redis_url_puts_the_cache_in_redis_and_each_process_keeps_its_own_otherwise(fresh_settings, monkeypatch):
    assert fresh_settings().CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"

    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    cache = fresh_settings().CACHES["default"]

    assert (cache["BACKEND"], cache["LOCATION"]) == (
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/0",
    )


def redis_or_skip(prefix: str) -> RedisCache:
    cache = RedisCache(REDIS_TEST_URL, {"KEY_PREFIX": prefix})
    try:
        cache.get("ping")
    except Exception as error:  # any failure to reach it: skip, as the issue allows
        pytest.skip(f"no Redis at {REDIS_TEST_URL}: {error}")
    return cache


@pytest.mark.django_db
def test_with_redis_the_api_throttle_holds_across_workers(client, consumer, settings, monkeypatch):
    prefix = f"claimtracker-test-{uuid.uuid4().hex}"
    other_worker = redis_or_skip(prefix)  # a second, separate client: another gunicorn worker's
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": prefix,
        }
    }
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    headers = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=consumer).key}"}
    key = f"throttle_user_{consumer.pk}"
    try:
        answers = [client.get("/api/v1/claims/", **headers).status_code for _ in range(3)]
        seen_elsewhere = other_worker.get(key)
        settings.CACHES = {**settings.CACHES}  # the next request gets a brand-new client, as another worker would

        refused = client.get("/api/v1/claims/", **headers)
    finally:
        other_worker.delete(key)

    assert answers == [200, 200, 200]
    assert len(seen_elsewhere) == 3
    assert refused.status_code == 429


# The read replica -------------------------------------------------------------------------------------------


def new_request() -> None:
    """A request starts, as Django's test client starts one: without closing the test's database connection."""
    request_started.disconnect(close_old_connections)
    try:
        request_started.send(sender=None)
    finally:
        request_started.connect(close_old_connections)


@pytest.fixture
def routed(settings):
    """The router installed (the alias need not exist to ask where a query would go), each test a new request."""
    settings.DATABASE_ROUTERS = ["claimtracker.routers.ReplicaRouter"]
    new_request()
    yield
    new_request()


def test_reads_go_to_the_replica_and_writes_and_locks_to_the_primary(routed):
    assert Claim.objects.vetted().db == "replica"
    assert Claim.objects.select_for_update().db == "default"  # the review workflow's row locks
    assert router.db_for_write(Claim) == "default"


def test_after_a_write_the_request_reads_the_primary_until_the_next_request(routed):
    router.db_for_write(Claim)

    assert Claim.objects.all().db == "default"
    new_request()
    assert Claim.objects.all().db == "replica"


def test_sessions_and_lockouts_are_read_on_the_primary_where_the_login_just_wrote_them(routed):
    from axes.models import AccessAttempt
    from django.contrib.sessions.models import Session

    assert Session.objects.all().db == "default"
    assert AccessAttempt.objects.all().db == "default"


def test_migrations_run_on_the_primary_only(routed):
    assert router.allow_migrate("default", "claims") is True
    assert router.allow_migrate("replica", "claims") is False


@pytest.fixture
def replica(routed):
    """A `replica` alias: a second connection to the test database, as a streaming replica is a second server
    holding the same rows (what Django's test mirror gives when DATABASE_REPLICA_URL is set). Made here, not
    in settings, so the rest of the suite runs without it."""
    default = connections["default"]
    connection = load_backend(default.settings_dict["ENGINE"]).DatabaseWrapper(dict(default.settings_dict), "replica")
    connections._connections.replica = connection
    yield connection
    connection.close()
    delattr(connections._connections, "replica")


@pytest.mark.django_db(transaction=True)
def test_the_api_reads_the_replica_and_a_review_locks_and_writes_on_the_primary(
    client, replica, consumer, reviewer, analyst
):
    vetted = AttributionFactory().claim
    services.claim_transition(claim=vetted, action="submit", by=analyst)
    services.claim_transition(claim=vetted, action="vet", by=reviewer)
    in_review = ClaimFactory(created_by=analyst, updated_by=analyst)
    services.claim_transition(claim=in_review, action="submit", by=analyst)
    token = Token.objects.create(user=consumer).key
    new_request()  # what the set-up wrote is no longer this request's

    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_primary:
        api = client.get("/api/v1/claims/", HTTP_AUTHORIZATION=f"Token {token}")
    assert api.status_code == 200 and [claim["id"] for claim in api.json()["results"]] == [vetted.pk]
    assert len(on_replica) >= 4 and len(on_primary) == 0

    client.force_login(reviewer)
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_primary:
        client.post(
            reverse("claim_review", args=[in_review.pk]),
            {"action": "vet", "comment": "", "loaded_version": in_review.version},
        )
    writes = ("INSERT", "UPDATE", "DELETE")
    assert any(query["sql"].startswith(writes) for query in on_primary.captured_queries)
    assert not any(query["sql"].startswith(writes) for query in on_replica.captured_queries)
    if connections["default"].features.has_select_for_update:  # PostgreSQL: the row lock is on the primary
        assert any("FOR UPDATE" in query["sql"] for query in on_primary.captured_queries)
    assert Claim.objects.get(pk=in_review.pk).status == Claim.Status.VETTED

    new_request()
    with transaction.atomic():  # the services' read-check-write: reads see the transaction's own rows
        assert Claim.objects.all().db == "default"
    assert Claim.objects.all().db == "replica"


# The benchmark's limit: the API's bytes from plain SQL --------------------------------------------------------


def raw_database() -> str:
    """The test database as the limit connects to it: a SQLite path (or shared in-memory URI) or a URL."""
    db = connections["default"].settings_dict
    if connections["default"].vendor == "postgresql":
        return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    return db["NAME"]


@pytest.mark.django_db(transaction=True)
def test_the_benchmarks_raw_sql_limit_returns_the_apis_bytes(client):
    from bench.generate import generate
    from bench.rawapp import ClaimsPage, connect

    generated = generate(80)  # 72 vetted: two pages; every precision, aliases, relations to unvetted claims
    headers = {"HTTP_AUTHORIZATION": f"Token {generated.token}"}
    limit = ClaimsPage(*connect(raw_database()))
    try:
        first = client.get("/api/v1/claims/", **headers)
        second_url = first.json()["next"]
        second = client.get(second_url, **headers)
        cursor = unquote(second_url.split("cursor=")[1])
        limit_first = limit.body("http://testserver/api/v1/claims/", None)
        limit_second = limit.body(second_url, cursor)
    finally:
        limit.connection.close()

    assert first.status_code == second.status_code == 200
    assert len(first.json()["results"]) == 50 and second.json()["previous"]
    assert limit_first == first.content
    assert limit_second == second.content


@pytest.mark.django_db(transaction=True)
def test_the_benchmarks_graph_page_draws_about_as_many_claims_as_it_asks_for(client):
    from bench.generate import generate
    from bench.inprocess import claim_nodes, graph_path
    from bench.served import GRAPH_PAGE, pages

    generated = generate(3_000)  # the popular entity's 300 claims over two years: a third of them asked for
    client.cookies["sessionid"] = generated.session  # the reviewer, as the benchmark reads the page
    info = generated.as_dict()
    answer = client.get(graph_path(info, claims=100))

    assert answer.status_code == 200
    assert 90 <= claim_nodes(answer.json()) <= 110
    assert not answer.json()["truncated"]
    served = {page.label: page for page in pages(info, database="claims", with_datasette=True)}
    assert served[GRAPH_PAGE].path == graph_path(info) and served[GRAPH_PAGE].reader == "reviewer"
