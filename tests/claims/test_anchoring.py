import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.anchoring import QuoteNotFound, anchor_quote, find_quote, normalise

BODY = (
    "Il a dit\u00a0: \u00ab\u00a0Les Turcs se moquent des questions de d\u00e9mocratie\u00a0\u00bb, "
    "l\u2019officier malien."
)


def test_a_quote_typed_with_straight_quotes_and_plain_spaces_is_found():
    anchor = find_quote(BODY, '"Les Turcs se moquent des questions de démocratie ", l\'officier')
    assert BODY[anchor.start : anchor.end] == anchor.text
    assert anchor.text.startswith("\u00ab\u00a0Les Turcs")
    assert anchor.text.endswith("l\u2019officier")


def test_runs_of_whitespace_and_line_breaks_match_one_space():
    anchor = find_quote("first line\n\n   second\tline", "line second line")
    assert anchor.text == "line\n\n   second\tline"


def test_a_quote_not_in_the_body_is_refused():
    with pytest.raises(QuoteNotFound, match="does not occur"):
        find_quote(BODY, "Les Russes se moquent")


def test_given_offsets_must_point_at_the_quote():
    with pytest.raises(QuoteNotFound, match="not the quote"):
        anchor_quote(BODY, "Les Turcs", 0, 9)


def test_offsets_outside_the_body_are_refused():
    with pytest.raises(QuoteNotFound, match="outside"):
        anchor_quote(BODY, "x", 5, 10_000)


def test_start_alone_picks_the_occurrence_from_there():
    body = "drones drones drones"
    assert anchor_quote(body, "drones", 5, None).start == 7


@given(
    body=st.text(alphabet="ab \u00a0\u2019'\u00ab\u00bb\"\n", min_size=1, max_size=60),
    data=st.data(),
)
def test_every_slice_of_a_body_anchors_back_to_a_span_equal_to_itself_once_normalised(body, data):
    start = data.draw(st.integers(0, len(body) - 1))
    end = data.draw(st.integers(start + 1, len(body)))
    quote = body[start:end]
    if not normalise(quote).strip():
        return
    anchor = find_quote(body, quote)
    assert body[anchor.start : anchor.end] == anchor.text
    assert normalise(anchor.text).strip() == normalise(quote).strip()


def test_french_spacing_before_colons_and_inside_guillemets_is_optional():
    body = "Il l\u2019a dit\u202f: \u00ab\u00a0non\u00a0!\u00a0\u00bb"

    anchor = find_quote(body, 'l\'a dit: "non!"')

    assert anchor.text == body[body.index("l\u2019a") :]


def test_english_curly_quotes_match_straight_ones():
    body = "The army said it was \u201ca routine mission\u201d."

    assert find_quote(body, 'said it was "a routine mission"').text == "said it was \u201ca routine mission\u201d"


def test_a_quote_of_only_spaces_is_refused_as_empty():
    with pytest.raises(QuoteNotFound, match="empty"):
        find_quote(BODY, " \u00a0\n")


def test_offsets_given_for_a_plainly_typed_quote_are_kept_and_the_reports_text_returned():
    start = BODY.index("\u00ab")
    end = BODY.index("\u00bb") + 1

    anchor = anchor_quote(BODY, '"Les Turcs se moquent des questions de démocratie"', start, end)

    assert (anchor.start, anchor.end, anchor.text) == (start, end, BODY[start:end])


def test_typed_hyphens_match_the_articles_en_and_em_dashes():
    body = "Si la junte malienne est une bonne cliente \u2013 et elle l\u2019est \u2013, ils continueront."
    anchor = find_quote(body, "une bonne cliente - et elle l'est -, ils continueront")
    assert anchor.text == body[body.index("une") : -1]
