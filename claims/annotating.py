"""Cutting a report's body into segments for the annotated report page.

Attributed passages overlap and nest (a claim's quote inside a longer one, two
quotes sharing a clause). To highlight them without duplicating or losing a
character, the body is cut at every span boundary: each segment is a run of
text covered by the same set of spans, and the segments, joined, are the body.
The template wraps each segment in one mark per covering span (outermost
first); the segment where a span begins carries that span's anchor, so there is
exactly one anchor per span.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Protocol


class Span(Protocol):
    start: int
    end: int


@dataclass(frozen=True)
class Layer:
    """One span covering a segment; `first` is true on the segment where the span begins."""

    span: Any
    first: bool


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str
    layers: tuple[Layer, ...]  # the spans covering this text, outermost (earliest, longest) first


def segment(body: str, spans: Iterable[Span]) -> list[Segment]:
    """Cut `body` at every boundary of `spans`; "".join(s.text for s in result) == body.

    Spans outside the body are clipped to it; empty ones are left out. Spans
    are layered by start, then longest first, then in the order given.
    """
    length = len(body)
    ordered = sorted(
        (span for span in spans if max(span.start, 0) < min(span.end, length)),
        key=lambda span: (max(span.start, 0), -min(span.end, length)),
    )
    cuts = sorted({0, length, *(max(s.start, 0) for s in ordered), *(min(s.end, length) for s in ordered)})
    segments: list[Segment] = []
    active: list[Any] = []
    waiting = iter(ordered)
    upcoming = next(waiting, None)
    for start, end in pairwise(cuts):
        active = [span for span in active if min(span.end, length) > start]
        opened = set()
        while upcoming is not None and max(upcoming.start, 0) == start:
            active.append(upcoming)
            opened.add(id(upcoming))
            upcoming = next(waiting, None)
        layers = tuple(Layer(span, id(span) in opened) for span in active)
        segments.append(Segment(start, end, body[start:end], layers))
    return segments
