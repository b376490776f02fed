"""Anchoring a quote in a report's body.

Analysts type quotes with plain spaces and straight quotes; the body keeps the
publisher's typography (U+00A0 before numbers and inside « », ’ for
apostrophes). A quote matches the body when both are equal after
`normalise`: every run of whitespace is one space, typographic apostrophes
and quotation marks and dashes (– —) are their ASCII forms, and the spaces French typography
puts inside quotation marks and before : ; ! ? are optional. The anchor found is always a span
of the original body, so body[start:end] is the quote as stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

_APOSTROPHES = "\u2019\u2018\u02bc\u201b\u2032"
_QUOTES = "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2033"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_TRANSLATE = str.maketrans(
    {**dict.fromkeys(_APOSTROPHES, "'"), **dict.fromkeys(_QUOTES, '"'), **dict.fromkeys(_DASHES, "-")}
)
_TIGHT_BEFORE = {'"', ":", ";", "!", "?"}


class QuoteNotFound(ValueError):
    """The quote does not occur in the body, even after normalisation."""


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    text: str


def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Return the normalised text and, for each of its characters, its index in `text`."""
    kept: list[tuple[str, int]] = []
    for i, char in enumerate(text.translate(_TRANSLATE)):
        if char.isspace():
            if kept and kept[-1][0] == " ":
                continue
            char = " "
        kept.append((char, i))
    # French typography spaces the inside of « » and the front of : ; ! ? — analysts don't.
    chars, index = [], []
    for position, (char, i) in enumerate(kept):
        if char == " ":
            before = kept[position - 1][0] if position else ""
            after = kept[position + 1][0] if position + 1 < len(kept) else ""
            if before == '"' or after in _TIGHT_BEFORE:
                continue
        chars.append(char)
        index.append(i)
    return "".join(chars), index


@lru_cache(maxsize=4)
def _normalised_body(body: str) -> tuple[str, tuple[int, ...]]:
    """`_normalise_with_map` of a report's body, kept for the next quote: a report's quotes are anchored one
    after another (a form's clean, the demo's load, a re-anchoring), each in the same body."""
    chars, index = _normalise_with_map(body)
    return chars, tuple(index)


def normalise(text: str) -> str:
    return _normalise_with_map(text)[0]


def find_quote(body: str, quote: str, near: int | None = None) -> Anchor:
    """Locate `quote` in `body`; return the span of the body it matches.

    With several occurrences, the first one at or after `near` wins (the first
    one overall when `near` is None or nothing follows it).
    """
    needle = normalise(quote).strip()
    if not needle:
        raise QuoteNotFound(_("The quote is empty."))
    haystack, index = _normalised_body(body)
    positions = []
    found = haystack.find(needle)
    while found != -1:
        positions.append(found)
        found = haystack.find(needle, found + 1)
    if not positions:
        raise QuoteNotFound(_("The quote does not occur in the report's text."))
    chosen = positions[0]
    if near is not None:
        chosen = next((p for p in positions if index[p] >= near), positions[0])
    start = index[chosen]
    end = index[chosen + len(needle) - 1] + 1
    return Anchor(start=start, end=end, text=body[start:end])


def find_quotes(body: str, quote: str) -> list[Anchor]:
    """Every span of `body` that `quote` matches (after `normalise`), in text order; [] when none."""
    needle = normalise(quote).strip()
    if not needle:
        return []
    haystack, index = _normalised_body(body)
    anchors, found = [], haystack.find(needle)
    while found != -1:
        start, end = index[found], index[found + len(needle) - 1] + 1
        anchors.append(Anchor(start=start, end=end, text=body[start:end]))
        found = haystack.find(needle, found + 1)
    return anchors


def anchor_quote(body: str, quote: str, start: int | None, end: int | None) -> Anchor:
    """Validate or find the anchor of `quote` in `body`.

    Offsets given and matching the quote are kept; offsets that point
    elsewhere are an error; blank offsets are filled by searching.
    """
    if start is not None and end is not None:
        if not (0 <= start < end <= len(body)):
            raise QuoteNotFound(
                _("Offsets %(start)s–%(end)s are outside the report's text (0–%(length)s).")
                % {"start": start, "end": end, "length": len(body)}
            )
        if normalise(body[start:end]).strip() != normalise(quote).strip():
            raise QuoteNotFound(
                _(
                    "The text at offsets %(start)s–%(end)s is “%(text)s”, not the quote. "
                    "Clear the offsets to locate the quote automatically."
                )
                % {"start": start, "end": end, "text": body[start:end][:80]}
            )
        return Anchor(start=start, end=end, text=body[start:end])
    return find_quote(body, quote, near=start)
