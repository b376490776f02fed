"""Search everywhere on PostgreSQL: a folding text search configuration, the document function, GIN indexes.

`claims.search` matches every query word against the beginning of a word of
a field, ignoring case, accents and apostrophes. On PostgreSQL a field's
words are the lexemes of `claimtracker_search_document(field)`:

1. the text in compatibility decomposition (NFKD: "ﬁ" is "fi", "é" is "e"
   and an accent), the accents of Latin, Greek, Cyrillic, Hebrew, Arabic and
   N'Ko letters then dropped;
2. punctuation and apostrophes made spaces, so that "l’armée" and
   "l'armée" are two words, and "lemonde.fr" too (PostgreSQL's parser
   would otherwise keep hosts, paths, e-mails and decimals whole);
3. parsed by the `claimtracker_fold` configuration: `simple` (no stemming,
   no stopwords) behind `unaccent` for words, so "ø", "æ", "ł" and
   Turkish "ı" fold as well, and lower-cased;
4. stripped of positions: a match is per word, and a long report's lexemes
   stay well under a tsvector's 1 MB.

Each column searched keeps its words in a stored generated column,
`<column>_words`, with a GIN index on it. Matching then reads words, never
parses text: with an index on the expression instead, a query matching most
rows made the planner parse every report again (5 minutes for 20,000
reports of 6,600 characters; and a LIMIT under a window count hides that
cost from it). The price: PostgreSQL refuses to change the type of a column
a generated column reads, so a migration that changes a searched column's
type (a `max_length`) drops its `_words` column first and adds it back
after (as `create` here does).

`claims.search.folded` does the same in Python for SQLite, and
`tests/claims/test_search.py` checks that both give the same words. SQLite
needs nothing here: its matching function is registered on each connection.
Each index serves `claims.search.matching` (the claims list's and the API's
`q`, `/search/`, /entities/ and the admin's search boxes).
"""

from django.db import migrations

# What step 1 drops (ranges for a regular expression) and step 2 makes spaces; "ς" then becomes "σ", as
# Python's case folding has it (PostgreSQL's lower case does not).
MARKS = (
    r"\u0300-\u034e\u0350-\u036f\u0483-\u0487\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    r"\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0730-\u074a"
    r"\u07eb-\u07f3\u07fd\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20dc\u20e1\u20e5-\u20f0\ufe20-\ufe2f"
)
SEPARATORS = (
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    "\u2018\u2019\u201b\u2032"  # apostrophes, as `claims.similarity.fold` reads them
    "\u02b9\u02ba\u02bb\u02bc\u02bd\u02c6\u02c8\u02cb\u02d0"  # modifier letters `unaccent` makes quotes or colons
    "\u034f\u0488\u0489\u20dd\u20de\u20df\u20e0\u20e2\u20e3\u20e4"  # marks that join nothing
)

CONFIG = "claimtracker_fold"
DOCUMENT = "claimtracker_search_document"
WORD_TOKENS = "asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart"

# (table, column): the columns searched, each with its words in `<column>_words` and a GIN index on them.
SEARCHED = [
    ("claims_claim", "statement"),
    ("claims_claim", "original_wording"),
    ("claims_attribution", "quote"),
    ("claims_entity", "name"),
    ("claims_entity", "aliases"),
    ("claims_claimrelation", "rationale"),  # the admin's search box
    ("sources_report", "title"),
    ("sources_report", "outlet"),
    ("sources_report", "author"),
    ("sources_report", "body"),
    ("sources_source", "label"),
    ("sources_source", "description"),
    ("sources_source", "affiliation"),
    ("sources_source", "side"),
]


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = lambda sql: schema_editor.execute(sql, None)  # noqa: E731 (None: "%" is no placeholder here)
    run("CREATE EXTENSION IF NOT EXISTS unaccent")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
        cursor.execute("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'")
        (unaccent_schema,) = cursor.fetchone()
    quote = schema_editor.quote_name
    config = f"{quote(schema)}.{CONFIG}"
    run(f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = pg_catalog.simple)")
    run(
        f"ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR {WORD_TOKENS} "
        f"WITH {quote(unaccent_schema)}.unaccent, pg_catalog.simple"
    )
    # Schema-qualified throughout: maintenance (VACUUM, ANALYZE, REINDEX) runs with a bare search_path.
    # Regular expressions, not translate(): it compares each character with every one of its list.
    separators = "".join(f"\\u{ord(char):04x}" for char in SEPARATORS)
    run(
        f"CREATE FUNCTION {quote(schema)}.{DOCUMENT}(text) RETURNS tsvector "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT "
        f"pg_catalog.strip(pg_catalog.to_tsvector({literal(config)}::regconfig, pg_catalog.translate("
        "pg_catalog.regexp_replace(pg_catalog.regexp_replace(pg_catalog.normalize($1, 'NFKD'), "
        f"'[{MARKS}]', '', 'g'), '[{separators}]', ' ', 'g'), 'ς', 'σ'))) $$"
    )
    for table, column in SEARCHED:
        run(
            f"ALTER TABLE {table} ADD COLUMN {quote(column + '_words')} tsvector "
            f"GENERATED ALWAYS AS ({quote(schema)}.{DOCUMENT}({quote(column)})) STORED"
        )
        run(f"CREATE INDEX {table}_{column}_words ON {table} USING gin ({quote(column + '_words')})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in SEARCHED:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}_words", None)
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {DOCUMENT}(text)", None)
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}", None)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_limits"),
        ("sources", "0006_report_tlp"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
