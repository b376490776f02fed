"""Web annotations in: passages someone highlighted in Hypothesis (or our own export) become draft claims.

`read_annotations` (pure) takes what Hypothesis' API returns (a search
result `{"rows": [...]}`, a list, or one annotation) or W3C JSON-LD (an
AnnotationCollection with its page embedded, an AnnotationPage, a list, or one
Annotation) and returns `Highlight`s. `anchor_highlight` (pure) finds each in
a report's text: by its quote (typography aside, `claims.anchoring`), the
prefix and suffix choosing among repeated quotes, then the position as a hint
(counted in code points by the W3C model and by us, in UTF-16 units by
Hypothesis' client: both readings are tried). `import_annotations` writes: one
draft claim per highlight (or per claim our export names), with its
attribution, through `claims.services`, all or nothing.

What an annotation says besides the passage comes from its `key:value` tags
(Hypothesis tags, or tagging bodies): `source:<label>`,
`source-kind:<kind>`, `stance:<supports|contradicts|neutral>`,
`credibility:<1-6>` or `grade:<A-F><1-6>`, `mode:<mode>`, `verb:<verb>`,
`kind:<claim kind>`, `hedged`. The claim's statement is the annotation's text
(or describing body), else the quote. Without a source tag, the report's
outlet speaks in its own voice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction

from claims import services
from claims.anchoring import Anchor, find_quotes, normalise
from claims.models import Attribution, Claim
from sources.models import Report, Source

_CLAIM_LINK = re.compile(r"/claims/(\d+)/?$")
_SOURCE_LINK = re.compile(r"/sources/(\d+)/?$")
_GRADE = re.compile(r"^[A-F]([1-6])$")


class AnnotationsRefused(Exception):
    """Some annotations cannot be imported: `problems` says which and why. Nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class Highlight:
    """One annotated passage, as read from the file."""

    ref: str  # how the report names it: the annotation's id, or its place in the file
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    text: str = ""  # the annotation's own words: the claim's statement
    tags: list[str] = field(default_factory=list)
    claim_ref: int | None = None  # our export: the claim it belongs to
    source_ref: int | None = None  # our export: the source that says it
    utf16: bool = True  # Hypothesis' positions count UTF-16 units

    def tag(self, key: str) -> str | None:
        """The value of the `key:value` tag, or None."""
        for tag in self.tags:
            name, _, value = tag.partition(":")
            if name.strip().lower() == key and value.strip():
                return value.strip()
        return None


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _selectors(target) -> list[dict]:
    return [
        selector
        for part in _as_list(target)
        if isinstance(part, dict)
        for selector in _as_list(part.get("selector"))
        if isinstance(selector, dict)
    ]


def _highlight(annotation: dict, position: int, *, w3c: bool) -> Highlight:
    selectors = _selectors(annotation.get("target"))
    quote = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), {})
    where = next((s for s in selectors if s.get("type") == "TextPositionSelector"), {})
    highlight = Highlight(
        ref=str(annotation.get("id") or f"#{position + 1} in the file"),
        exact=str(quote.get("exact") or ""),
        prefix=str(quote.get("prefix") or ""),
        suffix=str(quote.get("suffix") or ""),
        start=where.get("start") if isinstance(where.get("start"), int) else None,
    )
    if not w3c:  # Hypothesis' API: `text` and `tags`
        highlight.text = str(annotation.get("text") or "").strip()
        highlight.tags = [str(tag) for tag in _as_list(annotation.get("tags"))]
        return highlight
    generator = annotation.get("generator")
    highlight.utf16 = not (isinstance(generator, dict) and generator.get("name") == "claimtracker")
    for body in _as_list(annotation.get("body")):
        if isinstance(body, str):
            continue
        purpose = body.get("purpose")
        if body.get("type") == "TextualBody" and purpose == "tagging":
            highlight.tags.append(str(body.get("value") or ""))
        elif body.get("type") == "TextualBody" and not highlight.text:
            highlight.text = str(body.get("value") or "").strip()
        elif body.get("type") == "SpecificResource":
            link = str(body.get("source") or "")
            if match := _CLAIM_LINK.search(link):
                highlight.claim_ref = int(match.group(1))
            elif match := _SOURCE_LINK.search(link):
                highlight.source_ref = int(match.group(1))
    return highlight


def read_annotations(data) -> list[Highlight]:
    """The highlights of a Hypothesis API answer or a W3C Web Annotation document. ValueError when it is
    neither."""
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        items, w3c = data["rows"], False
    elif isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        first = data.get("first")
        if data.get("total", 0) and not isinstance(first, dict):
            raise ValueError("The collection's pages are not in the file: fetch and embed them first.")
        items, w3c = (first or {}).get("items", []), True
    elif isinstance(data, dict) and data.get("type") == "AnnotationPage":
        items, w3c = data.get("items", []), True
    elif isinstance(data, dict) and "target" in data:
        items, w3c = [data], "body" in data or data.get("type") == "Annotation"
    elif isinstance(data, list):
        items, w3c = data, any(isinstance(item, dict) and "body" in item for item in data)
    else:
        raise ValueError("Neither Hypothesis API JSON nor a W3C Web Annotation document.")
    return [_highlight(item, n, w3c=w3c) for n, item in enumerate(items) if isinstance(item, dict)]


def _longest(model, name: str) -> int | None:
    """The most characters a text field takes (its MaxLengthValidator), None when unlimited."""
    limits = [v.limit_value for v in model._meta.get_field(name).validators if isinstance(v, MaxLengthValidator)]
    return min(limits, default=None)


def _code_points(body: str, utf16_offset: int) -> int:
    """The code-point offset in `body` of a UTF-16 offset (characters beyond the BMP take two units)."""
    units = 0
    for index, char in enumerate(body):
        if units >= utf16_offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(body)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", normalise(text))


def anchor_highlight(body: str, highlight: Highlight) -> Anchor | str:
    """Where the highlight lies in `body`, or why it cannot be placed."""
    if not highlight.exact.strip():
        return "it has no quote (TextQuoteSelector) to anchor: a page note, not a highlight"
    found = find_quotes(body, highlight.exact)
    if not found:
        return f"its quote “{highlight.exact[:60]}” is not in the report's text"
    hints = set()
    if highlight.start is not None:
        hints = {highlight.start, _code_points(body, highlight.start) if highlight.utf16 else highlight.start}

    def rank(anchor: Anchor) -> tuple:
        before = _squash(body[max(0, anchor.start - len(highlight.prefix) - 8) : anchor.start])
        after = _squash(body[anchor.end : anchor.end + len(highlight.suffix) + 8])
        context = before.endswith(_squash(highlight.prefix)) + after.startswith(_squash(highlight.suffix))
        distance = min((abs(anchor.start - hint) for hint in hints), default=0)
        return (-context, distance, anchor.start)

    return min(found, key=rank)


@dataclass
class Imported:
    claims: list[Claim] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)


def _choice(highlight: Highlight, key: str, choices, default):
    value = highlight.tag(key)
    if value is None:
        return default
    if value not in choices.values:
        raise ValueError(f"tag “{key}:{value}” is not one of {', '.join(choices.values)}")
    return value


def _credibility(highlight: Highlight) -> int:
    if (value := highlight.tag("credibility")) is not None:
        if value not in {"1", "2", "3", "4", "5", "6"}:
            raise ValueError(f"tag “credibility:{value}” is not an Admiralty credibility 1 to 6")
        return int(value)
    if (grade := highlight.tag("grade")) is not None:
        if not (match := _GRADE.match(grade.upper())):
            raise ValueError(f"tag “grade:{grade}” is not an Admiralty grade such as F3")
        return int(match.group(1))
    return Attribution.Credibility.CANNOT_BE_JUDGED


def _source(highlight: Highlight, report: Report, by) -> Source:
    """Our export's source if it is here; else the one the `source:` tag names (created if new); else the outlet."""
    if highlight.source_ref is not None and (source := Source.objects.filter(pk=highlight.source_ref).first()):
        return source
    label = highlight.tag("source")
    kind = _choice(highlight, "source-kind", Source.Kind, Source.Kind.OUTLET if label is None else None)
    label = label or report.outlet
    existing = Source.objects.filter(label=label).order_by("id").first()
    if existing is not None:
        return existing
    source = Source(label=label, kind=kind or Source.Kind.DESCRIBED_INDIVIDUAL)
    services.source_save(source=source, by=by)
    return source


def _attribution(highlight: Highlight, anchor: Anchor, *, claim: Claim, report: Report, by) -> Attribution:
    source = _source(highlight, report, by)
    outlet_voice = highlight.tag("source") is None and highlight.source_ref is None
    attribution = Attribution(
        claim=claim,
        source=source,
        report=report,
        quote=anchor.text,
        start=anchor.start,
        end=anchor.end,
        verb=highlight.tag("verb") or "",
        mode=_choice(
            highlight,
            "mode",
            Attribution.Mode,
            Attribution.Mode.OUTLET_VOICE if outlet_voice else Attribution.Mode.PARAPHRASE,
        ),
        stance=_choice(highlight, "stance", Attribution.Stance, Attribution.Stance.SUPPORTS),
        hedged=any(tag.strip().lower() == "hedged" for tag in highlight.tags),
        credibility=_credibility(highlight),
        note=f"Imported from annotation {highlight.ref}.",
    )
    return services.attribution_save(attribution=attribution, by=by)


def import_annotations(data, *, report: Report, by=None) -> Imported:
    """Draft claims and their attributions in `report` for every highlight of `data`, through the services.

    All or nothing: AnnotationsRefused names every highlight that could not be
    anchored or whose tags are wrong, and nothing is written.
    """
    highlights = read_annotations(data)
    anchors, problems = {}, []
    for highlight in highlights:
        anchor = anchor_highlight(report.body, highlight)
        if isinstance(anchor, str):
            problems.append(f"annotation {highlight.ref}: {anchor}")
        else:
            anchors[highlight.ref] = anchor
    if problems:
        raise AnnotationsRefused(problems)

    imported = Imported()
    with transaction.atomic():
        claims: dict[int, Claim] = {}  # our export's claims: one new draft each, however many passages
        for highlight in highlights:
            anchor = anchors[highlight.ref]
            try:
                claim = claims.get(highlight.claim_ref) if highlight.claim_ref is not None else None
                if claim is None:
                    claim = Claim(
                        statement=(highlight.text or anchor.text)[: _longest(Claim, "statement")],
                        original_wording=anchor.text,
                        kind=_choice(highlight, "kind", Claim.Kind, Claim.Kind.EVENT),
                    )
                    services.claim_save(claim=claim, by=by)
                    imported.claims.append(claim)
                    if highlight.claim_ref is not None:
                        claims[highlight.claim_ref] = claim
                attribution = _attribution(highlight, anchor, claim=claim, report=report, by=by)
                imported.attributions.append(attribution)
            except (ValueError, ValidationError) as error:
                problems.append(f"annotation {highlight.ref}: {'; '.join(getattr(error, 'messages', [str(error)]))}")
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise AnnotationsRefused(problems)
    return imported
