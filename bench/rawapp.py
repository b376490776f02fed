"""The physical limit of the API's claims page: the same bytes from plain SQL and orjson, no Django.

A WSGI app served by the same gunicorn as the app (`gunicorn bench.rawapp:app`), reading the database named
by BENCH_RAW_DATABASE (a SQLite path, or a postgres:// URL). It answers /api/v1/claims/ with an optional
`cursor` as an API consumer gets it: vetted claims, newest first, 50 a page, with their attributions (source
and report), entities and relations to vetted claims, in four queries. It does not authenticate, throttle
or validate anything: it is the floor, not an alternative. tests/test_production.py checks that its bytes
equal the API's.
"""

from __future__ import annotations

import base64
import os
import sqlite3
from collections import defaultdict
from urllib import parse

import orjson

PAGE_SIZE = 50
VETTED = "vetted"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DUMPS_OPTIONS = orjson.OPT_UTC_Z

CLAIMS = """
SELECT id, statement, original_wording, kind, about_date, about_precision, about_text, likelihood, confidence,
       status, corroboration, created_at, updated_at
FROM claims_claim WHERE status = {p} {after} ORDER BY id DESC LIMIT {limit}
"""
ATTRIBUTIONS = """
SELECT a.claim_id, a.id,
       r.id, r.title, r.outlet, r.author, r.published, r.url, r.language, r.kind,
       s.id, s.label, s.kind, s.description, s.affiliation, s.side, s.anonymous, s.reliability, s.same_as_id,
       s.member_of_id, s.created_at, s.updated_at,
       a.quote, a.start, a."end", a.verb, a.mode, a.stance, a.hedged, a.credibility, a.said_on, a.via_id,
       a.relay_of_id, a.updated_at
FROM claims_attribution a
JOIN sources_source s ON s.id = a.source_id
JOIN sources_report r ON r.id = a.report_id
WHERE a.claim_id IN ({ids}) ORDER BY a.report_id, a.start, a.id
"""
ENTITIES = """
SELECT ce.claim_id, e.id, e.name, e.kind, e.aliases, e.description
FROM claims_claim_entities ce JOIN claims_entity e ON e.id = ce.entity_id
WHERE ce.claim_id IN ({ids}) ORDER BY e.name
"""
RELATIONS = """
SELECT 0, r.from_claim_id, r.kind, r.to_claim_id, c.statement, r.from_claim_id, r.id
FROM claims_claimrelation r JOIN claims_claim c ON c.id = r.to_claim_id
WHERE r.from_claim_id IN ({ids}) AND c.status = {p}
UNION ALL
SELECT 1, r.to_claim_id, r.kind, r.from_claim_id, c.statement, r.from_claim_id, r.id
FROM claims_claimrelation r JOIN claims_claim c ON c.id = r.from_claim_id
WHERE r.to_claim_id IN ({ids}) AND c.status = {p}
ORDER BY 1, 6, 7
"""


class ClaimsPage:
    """Builds the page's bytes from a DB-API connection (sqlite3 or psycopg)."""

    def __init__(self, connection, vendor: str):
        self.connection = connection
        self.p = "?" if vendor == "sqlite" else "%s"
        # SQLite hands back text and 0/1 where PostgreSQL hands back dates, datetimes, booleans and JSON.
        self.text_types = vendor == "sqlite"

    def body(self, base_url: str, cursor: str | None) -> bytes:
        position = _position(cursor)
        after = f"AND id < {self.p}" if position is not None else ""
        db = self.connection.cursor()
        params = [VETTED] + ([position] if position is not None else [])
        db.execute(CLAIMS.format(p=self.p, after=after, limit=PAGE_SIZE + 1), params)
        rows = db.fetchall()
        page, more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
        ids = [row[0] for row in page]
        marks = ", ".join([self.p] * len(ids)) or "NULL"
        attributions, entities, relations = defaultdict(list), defaultdict(list), defaultdict(list)
        if ids:
            db.execute(ATTRIBUTIONS.format(ids=marks), ids)
            for row in db.fetchall():
                attributions[row[0]].append(self._attribution(row))
            db.execute(ENTITIES.format(ids=marks), ids)
            for claim, pk, name, kind, aliases, description in db.fetchall():
                aliases = [alias.strip() for alias in aliases.splitlines() if alias.strip()]
                entities[claim].append(
                    {"id": pk, "name": name, "kind": kind, "aliases": aliases, "description": description}
                )
            db.execute(RELATIONS.format(ids=marks, p=self.p), [*ids, VETTED, *ids, VETTED])
            for incoming, claim, kind, other, statement, _, _ in db.fetchall():
                direction = "incoming" if incoming else "outgoing"
                relations[claim].append(
                    {"kind": kind, "direction": direction, "claim_id": other, "statement": statement}
                )
        db.close()
        results = [self._claim(row, entities, attributions, relations) for row in page]
        document = {
            "next": _link(base_url, f"p={ids[-1]}") if more else None,
            "previous": _link(base_url, f"r=1&p={ids[0]}") if position is not None and ids else None,
            "results": results,
        }
        body = orjson.dumps(document, option=DUMPS_OPTIONS)
        if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:  # DRF escapes the JavaScript line separators
            body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return body

    def _claim(self, row, entities, attributions, relations) -> dict:
        pk, statement, wording, kind, about_date, precision, about_text, likelihood, confidence = row[:9]
        status, corroboration, created_at, updated_at = row[9:]
        if self.text_types:
            corroboration = orjson.loads(corroboration) if corroboration else None
            created_at, updated_at = _utc(created_at), _utc(updated_at)
        elif about_date is not None:
            about_date = about_date.isoformat()
        return {
            "id": pk,
            "statement": statement,
            "original_wording": wording,
            "kind": kind,
            "about_date": about_date,
            "about_precision": precision,
            "about_text": about_text,
            "likelihood": likelihood,
            "confidence": confidence,
            "about": _about(about_date, precision, about_text),
            "status": status,
            "entities": entities.get(pk, []),
            "attributions": attributions.get(pk, []),
            "relations": relations.get(pk, []),
            "corroboration": corroboration or _unweighed(),
            "created_at": created_at,
            "updated_at": updated_at,
        }

    def _attribution(self, row) -> dict:
        r_id, title, outlet, author, published, url, language, r_kind = row[2:10]
        s_id, label, s_kind, description, affiliation, side, anonymous, reliability = row[10:18]
        same_as, member_of, s_created, s_updated = row[18:22]
        quote, start, end, verb, mode, stance, hedged, credibility, said_on, via, relay_of, updated_at = row[22:]
        if self.text_types:
            anonymous, hedged = bool(anonymous), bool(hedged)
            s_created, s_updated, updated_at = _utc(s_created), _utc(s_updated), _utc(updated_at)
        return {
            "id": row[1],
            "report": {
                "id": r_id,
                "title": title,
                "outlet": outlet,
                "author": author,
                "published": published,
                "url": url,
                "language": language,
                "kind": r_kind,
            },
            "source": {
                "id": s_id,
                "label": label,
                "kind": s_kind,
                "description": description,
                "affiliation": affiliation,
                "side": side,
                "anonymous": anonymous,
                "reliability": reliability,
                "same_as": same_as,
                "member_of": member_of,
                "created_at": s_created,
                "updated_at": s_updated,
            },
            "quote": quote,
            "start": start,
            "end": end,
            "verb": verb,
            "mode": mode,
            "stance": stance,
            "hedged": hedged,
            "credibility": credibility,
            "said_on": said_on,
            "via": via,
            "grade": f"{reliability}{credibility}",
            "relay_of": relay_of,
            "updated_at": updated_at,
        }


def _utc(stored: str) -> str:
    """SQLite's stored UTC time ("2025-01-02 03:04:05.678901") as the API writes it."""
    return stored.replace(" ", "T") + "Z"


def _about(about_date, precision: str, about_text: str) -> str:
    if about_date is None:
        return about_text
    year, month, day = str(about_date)[:10].split("-")
    formats = {"month": f"{MONTHS[int(month) - 1]} {year}", "year": year}
    formats["approximate"] = f"c. {formats['month']}"
    when = formats.get(precision, f"{day} {MONTHS[int(month) - 1]} {year}")
    return f"{when} ({about_text})" if about_text else when


def _position(cursor: str | None) -> int | None:
    if not cursor:
        return None
    tokens = parse.parse_qs(base64.b64decode(cursor.encode("ascii")).decode("ascii"))
    return int(tokens["p"][0]) if "p" in tokens else None


def _link(base_url: str, tokens: str) -> str:
    """DRF's `replace_query_param(base_url, "cursor", b64(tokens))`."""
    scheme, netloc, path, query, fragment = parse.urlsplit(base_url)
    query_dict = parse.parse_qs(query, keep_blank_values=True)
    query_dict["cursor"] = [base64.b64encode(tokens.encode("ascii")).decode("ascii")]
    return parse.urlunsplit((scheme, netloc, path, parse.urlencode(sorted(query_dict.items()), doseq=True), fragment))


def _unweighed() -> dict:
    from claims.corroboration import weigh  # pure; only for a claim never weighed, which the bench never has

    return weigh([], {}, {}).as_dict()


def connect(database: str):
    """A connection to `database` (a SQLite path or a postgres:// URL), and its vendor."""
    if database.startswith(("postgres://", "postgresql://")):
        import psycopg

        return psycopg.connect(database, autocommit=True, options="-c TimeZone=UTC"), "postgresql"
    uri = database.startswith("file:")  # a test's in-memory database
    return sqlite3.connect(database, uri=uri, check_same_thread=False, isolation_level=None), "sqlite"


def make_app(database: str):
    """The WSGI app over `database`; one connection per worker process, opened on its first request."""
    state = {}

    def app(environ, start_response):
        if "page" not in state:
            state["page"] = ClaimsPage(*connect(database))
        if environ["PATH_INFO"] != "/api/v1/claims/":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        query = parse.parse_qs(environ.get("QUERY_STRING", ""))
        scheme = environ.get("wsgi.url_scheme", "http")
        base_url = f"{scheme}://{environ['HTTP_HOST']}{environ['PATH_INFO']}"
        if environ.get("QUERY_STRING"):
            base_url += "?" + environ["QUERY_STRING"]
        body = state["page"].body(base_url, query.get("cursor", [None])[0])
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return app


app = make_app(os.environ["BENCH_RAW_DATABASE"]) if "BENCH_RAW_DATABASE" in os.environ else None
