"""Reads to the read replica, writes to the primary (`DATABASE_REPLICA_URL`; settings install the router).

A replica lags the primary by a moment, so a read goes to the replica only
when it cannot need what was just written:

- every write goes to `default`, and so does `select_for_update()` (Django
  asks `db_for_write` for any queryset marked for writing: locks, `update()`,
  `delete()`, `get_or_create()`);
- a read inside `transaction.atomic()` on `default` goes to `default`: the
  services read, check and write in one transaction (the review workflow,
  the no-lost-updates compare-and-swap), and must see their own rows;
- once a request (or a command) has written, its later reads go to
  `default` too: a page that saves then lists shows what it saved. The pin
  is lifted when the next request starts;
- sessions and login lockouts (django-axes) are read on `default`: a
  session written at login must be found by the very next request, and a
  lockout must hold the moment it is recorded;
- a query that follows a relation from an object reads where the object
  came from.

Everything else, the API's lists and the reviewers' pages, reads from the
replica. Migrations run on `default` only; the replica receives them by
replication.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DB_ALIAS = "replica"

# Apps whose rows are read right after they are written, by another request: always on the primary.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes"})

# Set by a write; per thread (a gunicorn worker serves one request at a time per thread).
_wrote: ContextVar[bool] = ContextVar("claimtracker_wrote", default=False)


def _new_request(**kwargs) -> None:
    _wrote.set(False)


request_started.connect(_new_request, dispatch_uid="claimtracker.routers.new_request")


class ReplicaRouter:
    """Sends reads to `replica` unless they may need a write of this request; see the module's docstring."""

    def db_for_read(self, model, **hints) -> str:
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if _wrote.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # One database behind two connections: an object read from the replica may point at one from default.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
