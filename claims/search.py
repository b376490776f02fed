"""Search everywhere: which claims, quotes, reports, sources and entities a few words find.

One rule wherever there is a search box (`/search/`, the claims list's and
the API's `q`, the admin's search boxes and autocompletes): **every word of
the query begins a word of one of the fields searched**, once case, accents
and apostrophes are folded. "goita" and "GOÏTA" find "Goïta", "l'armée"
finds "l’armée", "Akıncı" finds "Akinci", "algerie" finds "Algérie", and
"drone" finds "drones" but not "androne". A blank query filters nothing; a
query without a word (punctuation only) finds nothing; the first
`MAX_WORDS` words count.

On PostgreSQL a field's words are the lexemes of
`claimtracker_search_document(field)` (migration 0007_search_everywhere:
NFKD, accents dropped, punctuation made spaces, `unaccent`, lower case),
stored beside it in `<column>_words` and matched as prefixes (`'goita':*`)
through a GIN index. On SQLite a Python function reads the words the same
way (`folded`, built on `claims.similarity.fold`), registered on the
connection when a query needs it. `tests/claims/test_search.py` checks that
both read the same words.

Fields are lookups from the queryset's model: its own columns
(`"statement"`) or across relations (`"attributions__source__label"`). A
related field is matched in a subquery of ids, so no row is listed twice.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import NotSupportedError, models
from django.db.models import F, Func, Q
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import Col

from claims import reads
from claims.models import Attribution, Claim, Entity
from claims.similarity import fold

# What /search/ searches each kind of thing by. The claims list and the API search claims by CLAIM_FIELDS,
# /entities/ and the API entities by ENTITY_FIELDS; the admin's boxes for claims, reports, sources and
# entities search the same fields, so that "N more" on /search/ opens the rest of the same list.
CLAIM_FIELDS = ("statement", "original_wording", "attributions__quote", "attributions__source__label")
QUOTE_FIELDS = ("quote",)
REPORT_FIELDS = ("title", "outlet", "author", "body")
SOURCE_FIELDS = ("label", "description", "affiliation", "side")
ENTITY_FIELDS = ("name", "aliases")

MAX_WORDS = 12  # a pasted paragraph is searched by its first words, in a query of bounded size
MAX_WORD_LENGTH = 100  # characters: a longer word is searched by its beginning
GROUP_LIMIT = 20  # rows shown per kind on /search/

DOCUMENT_FUNCTION = "claimtracker_search_document"  # PostgreSQL: migration 0007_search_everywhere
SQLITE_FUNCTION = "claimtracker_search_matches"

# Letters that `unaccent` folds and Unicode decomposition keeps whole ("ø" is not "o" with an accent), from
# PostgreSQL's unaccent.rules; and the modifier letters it makes quotes or colons: they separate words.
_UNACCENT = str.maketrans(
    {
        **{
            pair[0]: pair[1:]
            for pair in str.split(
                """
            Æae Ðd Øo Þth æae ðd øo þth Đd đd Ħh ħh ĸq Łl łl Ŋn ŋn Œoe œoe Ŧt ŧt ƀb Ɓb Ƃb ƃb Ƈc ƈc Ɖd Ɗd Ƌd ƌd
            Ɛe Ƒf ƒf Ɠg ƕhv Ɩi Ɨi Ƙk ƙk ƚl Ɲn ƞn Ƣoi ƣoi Ƥp ƥp ƫt Ƭt ƭt Ʈt Ʋv Ƴy ƴy Ƶz ƶz Ǥg ǥg ȡd Ȥz ȥz ȴl ȵn
            ȶt ȷj ȸdb ȹqp Ⱥa Ȼc ȼc Ƚl Ⱦt ȿs ɀz Ƀb Ʉu Ɇe ɇe Ɉj ɉj Ɍr ɍr Ɏy ɏy ɓb ɕc ɖd ɗd ɛe ɟj ɠg ɡg ɢg ɦh ɧh ɨi
            ɪi ɫl ɬl ɭl ɱm ɲn ɳn ɴn ɶoe ɼr ɽr ɾr ʀr ʂs ʈt ʉu ʋv ʏy ʐz ʑz ʙb ʛg ʜh ʝj ʟl ʠq ʣdz ʥdz ʦts ʪls ʫlz
            """
            )
        },
        **dict.fromkeys("\u02b9\u02ba\u02bb\u02bd\u02c6\u02c8\u02cb\u02d0", " "),
    }
)
# Letters and digits: everything else separates words, as on PostgreSQL. Its parser also reads a number in
# scientific notation at the start of a word as a word of its own: "0e0a" is "0e0" and "a".
_WORD = re.compile(r"(?<![^\W_])[0-9]+e[0-9]+(?![0-9])|[^\W_]+")
_LONGEST_INDEXED = 2046  # bytes: PostgreSQL leaves longer words out of a document


class _Folding(dict):
    """Code point -> what it folds to, filled as characters come: `claims.similarity.fold` folds one
    character at a time (no step looks at a neighbour), so a text folds by `str.translate`, in C."""

    def __missing__(self, code: int) -> str:
        self[code] = folding = fold(chr(code).translate(_UNACCENT)).translate(_UNACCENT)
        return folding


_FOLDING = _Folding()


def folded(text: str) -> str:
    """The text as search reads it: "L’Armée de GOÏTA" is "l'armee de goita" (`claims.similarity.fold`,
    and the letters `unaccent` folds besides)."""
    return text.translate(_FOLDING)


def words(q: str | None) -> list[str]:
    """The words a query asks for, folded: each must begin a word of the text it finds.

    Repeated words, and words that begin another of the query's, are asked once ("arm armée" is "armee").
    """
    asked = list(dict.fromkeys(word[:MAX_WORD_LENGTH] for word in _WORD.findall(folded(q or ""))))[:MAX_WORDS]
    return [word for word in asked if not any(other != word and other.startswith(word) for other in asked)]


def document_words(text: str) -> set[str]:
    """The words of a text, folded, as PostgreSQL's `claimtracker_search_document` reads them."""
    return {word for word in _WORD.findall(folded(text)) if len(word.encode()) <= _LONGEST_INDEXED}


@functools.lru_cache(maxsize=256)  # a search asks each text once per word and field, and twice per list
def _folded_text(text: str) -> str:
    return folded(text)


def text_matches(text: str | None, asked: Sequence[str]) -> bool:
    """Whether each of the `asked` words (from `words`) begins a word of `text`: SQLite's matching, in Python."""
    if text is None:
        return False
    document = _folded_text(text)
    return all(_begins_a_word(document, word) for word in asked)


def _begins_a_word(document: str, word: str) -> bool:
    for found in re.finditer(rf"(?<![^\W_]){re.escape(word)}", document):
        if len(_WORD.match(document, found.start()).group().encode()) <= _LONGEST_INDEXED:
            return True
    return False


def _sqlite_matches(text: str | None, asked: str) -> int:
    return int(text_matches(text, asked.split()))


def _tsquery(asked: Sequence[str]) -> str:
    """'goita':* & 'armee':* (the words hold letters and digits only; quoted all the same)."""
    return " & ".join("'{}':*".format(word.replace("\\", "\\\\").replace("'", "''")) for word in asked)


class Matches(Func):
    """True where each of the `asked` words (from `words`) begins a word of `field`."""

    output_field = models.BooleanField()

    def __init__(self, field: str, asked: Sequence[str]):
        super().__init__(F(field))
        self.asked = tuple(asked)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("Search runs on PostgreSQL and SQLite only.")

    def as_postgresql(self, compiler, connection, **extra_context):
        # Migration 0007_search_everywhere keeps the words of each column searched in `<column>_words`,
        # with a GIN index: matching reads them, never parses the text again.
        column = self.source_expressions[0]
        if isinstance(column, Col):
            words = connection.ops.quote_name(f"{column.target.column}_words")
            if column.alias:
                words = f"{compiler.quote_name_unless_alias(column.alias)}.{words}"
            return f"{words} @@ %s::tsquery", (_tsquery(self.asked),)
        sql, params = compiler.compile(column)
        return f"{DOCUMENT_FUNCTION}({sql}) @@ %s::tsquery", (*params, _tsquery(self.asked))

    def as_sqlite(self, compiler, connection, **extra_context):
        connection.ensure_connection()
        connection.connection.create_function(SQLITE_FUNCTION, 2, _sqlite_matches, deterministic=True)
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{SQLITE_FUNCTION}({sql}, %s)", (*params, " ".join(self.asked))


def matching(queryset: models.QuerySet, q: str | None, fields: Sequence[str]) -> models.QuerySet:
    """The rows of `queryset` where every word of `q` begins a word of one of `fields` (see the module)."""
    if not (q or "").strip():
        return queryset
    asked = words(q)
    if not asked:
        return queryset.none()
    model = queryset.model
    own = [field for field in fields if LOOKUP_SEP not in field]
    related = [field for field in fields if LOOKUP_SEP in field]
    if not related and len(own) == 1:
        return queryset.filter(Matches(own[0], asked))  # one index scan for all the words
    every_word = Q()
    for word in asked:
        in_own = reduce(or_, (Q(Matches(field, [word])) for field in own), Q())
        if not related:
            every_word &= in_own  # an index scan per field and word, AND-ed and OR-ed as bitmaps
            continue
        # An OR of subqueries of ids keeps each on its index; own fields beside related ones are one of them.
        either = [Q(pk__in=model._base_manager.filter(in_own).values("pk"))] if own else []
        every_word &= reduce(or_, [*either, *(_related(model, field, word) for field in related)])
    return queryset.filter(every_word)


def _related(model: type[models.Model], path: str, word: str) -> Q:
    """`word` begins a word of the field at `path` from `model`, as a condition on `model`'s own columns:
    "attributions__source__label" from claims is "id in (claim_id of attributions whose source_id is in
    (ids of sources whose label matches))", a subquery per table, without joins."""
    if LOOKUP_SEP not in path:
        return Q(Matches(path, [word]))
    name, rest = path.split(LOOKUP_SEP, 1)
    relation = model._meta.get_field(name)
    if relation.many_to_many:  # through a table of links: joined
        return Q(pk__in=model._base_manager.filter(Matches(path, [word])).values("pk"))
    target = relation.related_model
    inner = target._base_manager.filter(_related(target, rest, word))
    if relation.concrete:  # a foreign key of this table
        return Q(**{f"{relation.attname}__in": inner.values("pk")})
    return Q(pk__in=inner.values(relation.field.attname))  # a foreign key to this table


# /search/ ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """The first rows a search found of one kind, and how many it found in all."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _first(queryset: models.QuerySet, limit: int) -> Found:
    # Two queries, the number found and the first rows. (A window count would ride on the rows, but
    # under a LIMIT PostgreSQL's planner then walks the ordering's index through every row rather than
    # ask the GIN indexes.) No LIMIT when all fit: the planner may misjudge a rare word the same way.
    total = queryset.count()
    if not total:
        return Found([], 0)
    return Found(list(queryset[:limit] if total > limit else queryset), total)


def everywhere(user, q: str, *, limit: int = GROUP_LIMIT) -> dict[str, Found]:
    """What `q` finds among what `user` may see, by kind: ten queries at most, whatever it finds.

    Claims most recently changed first; quotes from the newest report first, in text order; reports
    newest first; sources by kind; entities by name. Report texts are searched, never loaded.
    """
    claims = matching(Claim.objects.visible_to(user), q, CLAIM_FIELDS).recently_changed()
    quotes = (
        matching(Attribution.objects.visible_to(user), q, QUOTE_FIELDS)
        .select_related("claim", "source", "report")
        .defer("report__body", "report__original", "report__note")
        .order_by("-report__published", "-report_id", "start", "id")
    )
    reports = matching(reads.reports_visible_to(user), q, REPORT_FIELDS).defer("body", "original", "note")
    sources = matching(reads.sources_visible_to(user), q, SOURCE_FIELDS)
    entities = matching(Entity.objects.visible_to(user), q, ENTITY_FIELDS)
    return {
        "claims": _first(claims, limit),
        "quotes": _first(quotes, limit),
        "reports": _first(reports, limit),
        "sources": _first(sources, limit),
        "entities": _first(entities, limit),
    }
