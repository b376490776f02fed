"""N claims shaped like the demo's, written in bulk into an empty, migrated database.

The shape, per 10 claims: 9 vetted and 1 in review or draft (so that the
API's visibility filter has something to leave out); 1 to 3 attributions
each (2 on average: supported in the report that carried it first, again in
the next report, hedged one time in two, and contradicted in a third, one
claim in four), about 2.7 entities (one of ten popular ones, as the demo's
Mali and Turkey are), a relation for 4 claims in 10 (refines the claim
before it, or contradicts one a few claims back, which may be unvetted). One
report carries 20 quotes (and text between them); the first report carries
300 more, one for each of the first 300 claims: the report page to time. A
source speaks 100 times on average; one in ten speaks for another (a party).
Each claim's weight (`corroboration`) is computed by the same rule as the
services' (`claims.corroboration.weigh`). Claims were entered over two years
up to eight days ago, and 1 in 50 was changed in the last week (for
`updated_since`).

Rows go straight into the tables (`executemany` on SQLite, COPY on
PostgreSQL: a million claims in minutes, where `bulk_create` would take half
an hour) in chunks of claims, with ids and timestamps set here, so that a
claim's weight can name its attributions before it is written. No history
rows: the pages measured do not read them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from claims import roles
from claims.corroboration import AttributionFact, ReportFact, SourceFact, weigh
from claims.models import Attribution, Claim, ClaimRelation, Entity
from sources.models import Report, Source

CHUNK = 10_000  # claims per round of inserts
CLAIMS_PER_REPORT = 10  # each report first carries 10 claims (and is the second and third report of others)
BIG_REPORT_QUOTES = 300  # the first report carries one more quote for each of the first 300 claims
POPULAR_ENTITIES = 10
FILLER = "Le texte se poursuit ici sans rien attribuer à personne, comme entre deux citations d'un article. "
PLACES = ["Kati", "Bamako", "Gao", "Tombouctou", "Kidal", "Mopti", "Ségou", "Niamey", "Ouagadougou", "Ankara"]
VERBS = ["affirme", "selon", "estime", "a indiqué", "rapporte", "assure"]


@dataclass(frozen=True)
class Generated:
    """What the benchmark needs to know of the generated data."""

    claims: int
    vetted: int
    big_report: int
    popular_entity: int
    filtered_kind: str
    middle_claim: int
    updated_since: str
    token: str
    session: str
    database: str

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def attribution_count(i: int) -> int:
    return (1, 2, 2, 3)[i % 4]


def status_of(i: int) -> str:
    return {7: Claim.Status.IN_REVIEW, 13: Claim.Status.DRAFT}.get(i % 20, Claim.Status.VETTED)


def quote_of(i: int, k: int) -> str:
    """The quoted passage of claim i's k-th attribution (k = 3: its quote in the big report)."""
    place = PLACES[(i + k) % len(PLACES)]
    return (
        f"Selon une source sécuritaire, {(i % 90) + 10} drones et des éléments de l'affaire {i} "
        f"seraient arrivés à {place} (témoignage {k + 1})."
    )


class Layout:
    """Where each quote sits in the reports' bodies, computed from the claim numbers alone."""

    def __init__(self, count: int):
        self.count = count
        self.reports = max(1, -(-count // CLAIMS_PER_REPORT))  # the normal reports, after the big one

    def report_of(self, i: int, k: int) -> int:
        """Index of the report (0: the big one, 1..reports: the normal ones) of claim i's k-th attribution."""
        if k == 3:
            return 0
        return 1 + (i // CLAIMS_PER_REPORT + k) % self.reports

    def quotes_in(self, r: int) -> list[tuple[int, int]]:
        """The (claim, k) quoted in report r, in text order."""
        if r == 0:
            return [(i, 3) for i in range(min(self.count, BIG_REPORT_QUOTES))]
        quoted = []
        for k in (0, 1, 2):
            home = (r - 1 - k) % self.reports
            for i in range(home * CLAIMS_PER_REPORT, min((home + 1) * CLAIMS_PER_REPORT, self.count)):
                if k < attribution_count(i):
                    quoted.append((i, k))
        return quoted

    def body(self, r: int) -> tuple[str, dict[tuple[int, int], int]]:
        """Report r's text and the offset of each quote in it."""
        parts, offsets, at = [], {}, 0
        for i, k in self.quotes_in(r):
            quote = quote_of(i, k)
            offsets[(i, k)] = at
            parts.append(quote + " " + FILLER)
            at += len(quote) + 1 + len(FILLER)
        return "".join(parts), offsets


class Table:
    """Rows of one model's table written straight to the database: `executemany` on SQLite, COPY on
    PostgreSQL. `given` names the columns each row tuple holds; the others get their field's default (a
    field without one must be given)."""

    def __init__(self, model: type[models.Model], given: list[str]):
        fields = {field.attname: field for field in model._meta.concrete_fields}
        self.table = model._meta.db_table
        self.given = [fields[name] for name in given]
        self.defaults = {}
        for field in fields.values():
            if field.attname in given or (field.primary_key and isinstance(field, models.AutoField)):
                continue
            convert, default = _convert(field), field.get_default()
            if default is None and not field.null:
                raise ValueError(f"{self.table}.{field.column} has no default: give it")
            self.defaults[field.column] = convert(default) if convert else default
        self.columns = [field.column for field in self.given] + list(self.defaults)
        self.converters = [(i, _convert(field)) for i, field in enumerate(self.given) if _convert(field)]
        self.constants = tuple(self.defaults.values())

    def rows(self, values):
        for row in values:
            if self.converters:
                row = list(row)
                for i, convert in self.converters:
                    row[i] = convert(row[i])
            yield (*row, *self.constants)

    def write(self, values) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in self.columns)
        connection.ensure_connection()
        raw = connection.connection
        if connection.vendor == "postgresql":
            freeze = " WITH (FREEZE)" if _loading["freeze"] else ""
            copy_sql = f"COPY {quote(self.table)} ({columns}) FROM STDIN{freeze}"
            with raw.cursor() as cursor, cursor.copy(copy_sql) as copy:
                for row in self.rows(values):
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(self.columns))
            cursor = raw.cursor()
            cursor.executemany(f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})", self.rows(values))
            cursor.close()


def _convert(field: models.Field):
    """How a value of `field` is written; None when as it is (numbers, text, booleans, None)."""
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value)
    if connection.vendor == "postgresql":
        return None  # COPY takes dates and aware datetimes as they are
    if isinstance(field, models.DateTimeField):
        return lambda value: None if value is None else str(value.astimezone(dt.UTC).replace(tzinfo=None))
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else value.isoformat()
    return None


def generate(count: int, *, now: dt.datetime | None = None) -> Generated:
    """Write `count` claims and all they need into the (empty, migrated) default database."""
    now = now or timezone.now().replace(microsecond=0)
    start = now - dt.timedelta(days=2 * 365 + 8)
    step = (now - dt.timedelta(days=8) - start) / max(count, 1)
    layout = Layout(count)
    if Claim.objects.exists() or Report.objects.exists() or Source.objects.exists() or Entity.objects.exists():
        raise ValueError("generate() fills an empty database; this one has claims, reports, sources or entities")
    with _bulk_load():
        sources = _sources(count, start)
        entities = _entities(count, start)
        reports = _reports(layout, start)
        ids = {"attribution": 1, "relation": 1}
        for first in range(0, count, CHUNK):
            _chunk(range(first, min(first + CHUNK, count)), layout, sources, entities, reports, ids, start, step, now)
        _reset_sequences()
    if connection.vendor != "postgresql":
        _analyse()
    consumer, reviewer = _people()
    vetted = Claim.objects.vetted().count()
    middle = Claim.objects.vetted().filter(pk__lte=count // 2 + 1).order_by("-pk").values_list("pk", flat=True)[0]
    return Generated(
        claims=count,
        vetted=vetted,
        big_report=1,
        popular_entity=1,
        filtered_kind=str(Claim.Kind.EVENT),
        middle_claim=middle,
        updated_since=(now - dt.timedelta(days=7)).isoformat().replace("+00:00", "Z"),
        token=Token.objects.create(user=consumer).key,
        session=_session(reviewer),
        database=_database_version(),
    )


@dataclass(frozen=True)
class _Source:
    id: int
    label: str
    member_of: int | None


@dataclass(frozen=True)
class _Report:
    id: int
    outlet: str
    published: dt.date


def _sources(count: int, start: dt.datetime) -> list[_Source]:
    kinds = Source.Kind.values
    sources, rows = [], []
    for s in range(max(20, count // 50)):
        source = _Source(s + 1, f"source {s}: un officier malien" if s % 3 else f"source {s}: Agence {s}", None)
        if s % 10 == 9:
            source = _Source(source.id, source.label, s)  # speaks for the source before it: one party
        sources.append(source)
        rows.append(
            (
                source.id,
                source.label,
                kinds[s % len(kinds)],
                f"Décrit dans le rapport comme la source numéro {s}.",
                ["Malian armed forces", "Turkish government", "Le Monde", ""][s % 4],
                ["Malian", "Turkish", "Western", ""][s % 4],
                s % 3 != 0,
                "ABCDEF"[s % 6],
                source.member_of,
                start,
                start,
            )
        )
    given = ["id", "label", "kind", "description", "affiliation", "side", "anonymous", "reliability"]
    given += ["member_of_id", "created_at", "updated_at"]
    Table(Source, given).write(sorted(rows, key=lambda row: row[8] is not None))
    return sources


def _entities(count: int, start: dt.datetime) -> int:
    kinds = Entity.Kind.values
    total = max(30, count // 20)
    Table(Entity, ["id", "name", "kind", "aliases", "description", "updated_at"]).write(
        (
            e + 1,
            f"Entité {e:07d}",
            kinds[e % len(kinds)],
            f"alias {e}\nautre nom {e}" if e % 2 else "",
            f"L'entité numéro {e}.",
            start,
        )
        for e in range(total)
    )
    return total


def _reports(layout: Layout, start: dt.datetime) -> list[_Report]:
    outlets = ["Le Monde", "RFI", "Jeune Afrique", "AFP", "Reuters"]
    reports = [
        _Report(r + 1, outlets[r % 5], (start + dt.timedelta(days=r * 730 // (layout.reports + 1))).date())
        for r in range(layout.reports + 1)
    ]
    rows = (  # one body at a time: at a million claims the bodies are hundreds of megabytes
        (
            report.id,
            f"Rapport {r} sur le Mali" if r else "La Turquie, alliée de plus en plus présente au Mali",
            report.outlet,
            "" if r % 3 else f"Auteur {r}",
            report.published,
            f"https://example.org/rapports/{r}" if r % 2 else "",
            layout.body(r)[0],
            start,
            start,
        )
        for r, report in enumerate(reports)
    )
    given = ["id", "title", "outlet", "author", "published", "url", "body", "created_at", "updated_at"]
    Table(Report, given).write(rows)
    return reports


def _chunk(claims, layout, sources, entities, reports, ids, start, step, now) -> None:
    """Claims `claims` (a range of numbers) with their attributions, entities and relations."""
    offsets: dict[int, dict[tuple[int, int], int]] = {}
    rows_claims, rows_attributions, rows_entities, rows_relations = [], [], [], []
    kinds, modes = Claim.Kind.values, Attribution.Mode.values
    source_facts = {s.id: SourceFact(s.id, s.label, None, s.member_of) for s in sources if s.member_of}
    report_facts = {}
    for i in claims:
        created = start + step * i
        updated = now - dt.timedelta(hours=1 + i % 150) if i % 50 == 3 else created + dt.timedelta(hours=1)
        facts = []
        for k in [*range(attribution_count(i)), *([3] if i < BIG_REPORT_QUOTES else [])]:
            r = layout.report_of(i, k)
            if r not in offsets:
                offsets[r] = layout.body(r)[1]
            quote, at = quote_of(i, k), offsets[r][(i, k)]
            source, report = sources[(i * 7 + k * 13) % len(sources)], reports[r]
            stance = Attribution.Stance.CONTRADICTS if k == 2 else Attribution.Stance.SUPPORTS
            mode = modes[(i + k) % len(modes)]
            hedged = k == 1 and i % 2 == 1
            aid = ids["attribution"]
            ids["attribution"] += 1
            verb, credibility = VERBS[(i + k) % len(VERBS)], 2 + (i + k) % 4
            rows_attributions.append(
                (aid, i + 1, source.id, report.id, quote, at, at + len(quote), verb, mode, hedged, str(stance))
            )
            rows_attributions[-1] += (credibility, created, created)
            outlet_voice = mode == Attribution.Mode.OUTLET_VOICE
            facts.append(AttributionFact(aid, source.id, report.id, stance, hedged=hedged, outlet_voice=outlet_voice))
            source_facts.setdefault(source.id, SourceFact(source.id, source.label, None, source.member_of))
            report_facts.setdefault(report.id, ReportFact(report.id, report.outlet, report.published))
        weight = weigh(facts, source_facts, report_facts)
        about = start.date() + dt.timedelta(days=i % 700) if i % 3 == 0 else None
        rows_claims.append(
            (
                i + 1,
                f"Claim {i}: {(i % 90) + 10} drones et des éléments de l'affaire {i} seraient arrivés au Mali.",
                quote_of(i, 0),
                kinds[i % len(kinds)],
                about,
                ["day", "month", "year", "approximate"][i // 3 % 4] if about else "",
                "depuis la fin de 2024" if i % 7 == 0 else "",
                ["", "likely", "very_likely", "roughly_even"][i % 4],
                ["", "moderate", "high", "low"][i % 4],
                str(status_of(i)),
                created,
                updated,
                weight.as_dict(),
                weight.supporting_origins,
                weight.contradicting_origins,
                weight.supporting_parties,
                weight.contradicting_parties,
                weight.suggested_credibility,
            )
        )
        chosen = {i % POPULAR_ENTITIES, POPULAR_ENTITIES + (i * 31) % (entities - POPULAR_ENTITIES)}
        if i % 3:
            chosen.add(POPULAR_ENTITIES + (i * 17 + 5) % (entities - POPULAR_ENTITIES))
        rows_entities += [(i + 1, e + 1) for e in sorted(chosen)]
        for kind, other, every in (
            (ClaimRelation.Kind.REFINES, i - 1, i % 4 == 1),
            (ClaimRelation.Kind.CONTRADICTS, i - 5, i % 8 == 5),
        ):
            if other >= 0 and every:
                rows_relations.append((ids["relation"], i + 1, other + 1, str(kind), created))
                ids["relation"] += 1
    claim_columns = ["id", "statement", "original_wording", "kind", "about_date", "about_precision", "about_text"]
    claim_columns += ["likelihood", "confidence", "status", "created_at", "updated_at", *Claim.WEIGHT_FIELDS]
    Table(Claim, claim_columns).write(rows_claims)
    attribution_columns = ["id", "claim_id", "source_id", "report_id", "quote", "start", "end", "verb", "mode"]
    attribution_columns += ["hedged", "stance", "credibility", "created_at", "updated_at"]
    Table(Attribution, attribution_columns).write(rows_attributions)
    Table(Claim.entities.through, ["claim_id", "entity_id"]).write(rows_entities)
    Table(ClaimRelation, ["id", "from_claim_id", "to_claim_id", "kind", "created_at"]).write(rows_relations)


_loading = {"freeze": False}


@contextmanager
def _bulk_load() -> Iterator[None]:
    """One transaction for every row. On PostgreSQL, a bulk load's usual course, much faster than a million
    single-row updates of every index: the tables' secondary indexes (the full-text ones above all) are
    dropped first and built again at the end from their own definitions, several at once; the tables are
    truncated in the transaction so that COPY can write frozen, all-visible rows (no VACUUM needed
    afterwards); and, for a superuser, foreign keys are not checked row by row (the rows are consistent by
    construction). Indexes behind constraints (primary keys, unique) stay throughout."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            yield
        return
    models_loaded = [Source, Entity, Report, Claim, Attribution, ClaimRelation, Claim.entities.through]
    tables = [model._meta.db_table for model in models_loaded]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY(%s) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            if outermost:  # FREEZE needs the truncation in this very transaction, not in a savepoint
                cursor.execute(f"TRUNCATE {', '.join(quote(table) for table in tables)} CASCADE")
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")
        _loading["freeze"] = outermost
        try:
            yield
        finally:
            _loading["freeze"] = False
    # Statistics before the indexes come back: ANALYZE would otherwise compute the full-text expression of
    # every sampled row for each of them (half a minute), for plans the benchmark's pages never make.
    _analyse()
    # The full-text (GIN) indexes first: they take longest, and PostgreSQL builds each on one core.
    definitions = sorted((definition for _, definition in indexes), key=lambda sql: " gin " not in sql.lower())
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(_create_index, definitions))


def _create_index(definition: str) -> None:
    """Build one index on this thread's own connection."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            cursor.execute(definition)
    finally:
        connection.close()


def _reset_sequences() -> None:
    """Ids were given here: let the database's next ids follow them (PostgreSQL's sequences)."""
    statements = connection.ops.sequence_reset_sql(
        no_style(), [Source, Entity, Report, Claim, Attribution, ClaimRelation]
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _analyse() -> None:
    """Fresh statistics for the query planner, as a database that grew slowly would have."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def _people():
    """An API consumer (with a token) and a reviewer (with a session): the two who read."""
    roles.sync_groups(Group, Permission)
    User = get_user_model()
    consumer = User.objects.create_user("bench-consumer", password=None)
    consumer.groups.add(Group.objects.get(name=roles.API_CONSUMERS))
    reviewer = User.objects.create_user("bench-reviewer", password=None, is_staff=True)
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWERS))
    return consumer, reviewer


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value
