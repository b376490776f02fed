"""Cutting a report's body into segments: nothing duplicated, nothing lost, one anchor per span."""

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from claims.annotating import segment

BODY = "Selon un officier malien, les drones turcs seraient arrivés à la fin de 2022."


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    name: str = ""


def covering(segments, name) -> str:
    """The text of every segment `name` covers, joined."""
    return "".join(s.text for s in segments if any(layer.span.name == name for layer in s.layers))


def test_segments_of_nested_and_overlapping_spans_join_into_the_body():
    outer = Span(0, 40, "outer")
    nested = Span(6, 24, "nested")
    overlapping = Span(30, 60, "overlapping")

    segments = segment(BODY, [outer, nested, overlapping])

    assert "".join(s.text for s in segments) == BODY
    assert [(s.start, s.end) for s in segments] == [(0, 6), (6, 24), (24, 30), (30, 40), (40, 60), (60, len(BODY))]
    assert covering(segments, "outer") == BODY[0:40]
    assert covering(segments, "nested") == BODY[6:24]
    assert covering(segments, "overlapping") == BODY[30:60]


def test_covering_spans_are_layered_outermost_first():
    segments = segment(BODY, [Span(6, 24, "nested"), Span(0, 40, "outer")])

    inner = next(s for s in segments if s.start == 6)
    assert [layer.span.name for layer in inner.layers] == ["outer", "nested"]


def test_each_span_is_anchored_once_on_the_segment_where_it_starts():
    spans = [Span(0, 40, "outer"), Span(6, 24, "nested"), Span(30, 60, "overlapping"), Span(30, 60, "same passage")]

    segments = segment(BODY, spans)

    anchors = [(layer.span.name, s.start) for s in segments for layer in s.layers if layer.first]
    assert sorted(anchors) == sorted([("outer", 0), ("nested", 6), ("overlapping", 30), ("same passage", 30)])


def test_text_outside_every_span_is_a_segment_without_layers():
    segments = segment(BODY, [Span(6, 24)])

    assert [(s.text, s.layers) for s in segments if not s.layers] == [(BODY[:6], ()), (BODY[24:], ())]


def test_empty_spans_are_left_out_and_spans_past_the_end_are_clipped():
    segments = segment(BODY, [Span(5, 5, "empty"), Span(70, 500, "too long")])

    assert "".join(s.text for s in segments) == BODY
    assert covering(segments, "empty") == ""
    assert covering(segments, "too long") == BODY[70:]


def test_an_empty_body_has_no_segments():
    assert segment("", [Span(0, 3)]) == []


@st.composite
def body_and_spans(draw):
    body = draw(st.text(min_size=1, max_size=60))
    bounds = st.integers(min_value=0, max_value=len(body))
    pairs = draw(st.lists(st.tuples(bounds, bounds), max_size=8))
    spans = [Span(min(a, b), max(a, b), f"s{i}") for i, (a, b) in enumerate(pairs) if a != b]
    return body, spans


@given(body_and_spans())
def test_any_spans_segment_the_body_without_losing_or_duplicating_text(case):
    body, spans = case

    segments = segment(body, spans)

    assert "".join(s.text for s in segments) == body
    for span in spans:
        assert covering(segments, span.name) == body[span.start : span.end]
        assert sum(layer.first for s in segments for layer in s.layers if layer.span is span) == 1
