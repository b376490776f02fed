"""gunicorn's settings for claimtracker: `make serve` here, and production (`gunicorn claimtracker.wsgi` from the
project's directory reads this file by itself).

Every value can be changed from the environment, like the Django settings:

- GUNICORN_BIND: address to listen on (default 127.0.0.1:8000: behind a TLS proxy on the same machine; a
  `--bind` on the command line wins, which `make serve` passes from HOST and PORT);
- WEB_CONCURRENCY: worker processes (default 2 x cores + 1, gunicorn's advice: one busy on the CPU while
  another waits for the database);
- GUNICORN_THREADS: threads per worker (default 1: the sync worker; more makes it gthread, for slow clients
  without a buffering proxy in front);
- GUNICORN_TIMEOUT: seconds before a stuck worker is restarted (default 30);
- GUNICORN_MAX_REQUESTS: restart a worker after this many requests, to bound a leak (default 0: never);
- GUNICORN_ACCESS_LOG=1: one line per request on stdout (off by default: the proxy logs them);
- GUNICORN_CONTROL_SOCKET: a path for gunicorn's control socket (`gunicornc`); off by default, so that two
  servers on one machine (`make bench` runs several) never take each other's.

It also makes database connections persistent under gunicorn (DATABASE_CONN_MAX_AGE=60 unless set): a
request then reuses its worker's connection instead of opening one.
"""

import multiprocessing
import os
import sys

os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")

wsgi_app = "claimtracker.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = timeout
keepalive = 5  # seconds an idle keep-alive connection from the proxy stays open
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 0)
max_requests_jitter = max_requests // 10
# Load Django once in the master, then fork: workers start in milliseconds and share its memory.
preload_app = True
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG") == "1" else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
# The proxy in front sets X-Forwarded-Proto; Django reads it only with BEHIND_TLS_PROXY=1 (settings.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """A forked worker never reuses a database connection the master may have opened while loading the app."""
    if "django.db" in sys.modules:
        from django.db import connections

        for connection in connections.all(initialized_only=True):
            connection.close()
