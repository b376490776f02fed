import datetime
from collections import Counter

from hypothesis import assume, given
from hypothesis import strategies as st

from claims.corroboration import (
    AttributionFact,
    ReportFact,
    SourceFact,
    Stance,
    ancestors,
    canonical,
    chain_cycle,
    closes_cycle,
    party,
    weigh,
)

SUPPORTS, CONTRADICTS, NEUTRAL = Stance.SUPPORTS, Stance.CONTRADICTS, Stance.NEUTRAL

# Parties, and the speakers that belong to them.
ALGERIA, MALI, NIGER = 1, 2, 3
ALGERIAN_MOD, MALIAN_GOVERNMENT, MALIAN_ARMY, NIGERIEN_JUNTA = 11, 21, 22, 31
REUTERS, DEVDISCOURSE, AFRICANEWS = 91, 92, 93
SOURCES = {
    s.id: s
    for s in [
        SourceFact(ALGERIA, "Algeria"),
        SourceFact(MALI, "Mali"),
        SourceFact(NIGER, "Niger"),
        SourceFact(ALGERIAN_MOD, "Algerian Ministry of National Defence", member_of=ALGERIA),
        SourceFact(MALIAN_GOVERNMENT, "Government of Mali", member_of=MALI),
        SourceFact(MALIAN_ARMY, "Malian armed forces (FAMa)", member_of=MALIAN_GOVERNMENT),
        SourceFact(NIGERIEN_JUNTA, "Nigerien junta", member_of=NIGER),
        SourceFact(REUTERS, "Reuters"),
        SourceFact(DEVDISCOURSE, "Devdiscourse"),
        SourceFact(AFRICANEWS, "Africanews"),
    ]
}


def day(n):
    return datetime.date(2025, 4, n)


def report(id, outlet, published, *derived_from):
    return ReportFact(id, outlet, published, tuple(derived_from))


def says(id, source, report, stance=SUPPORTS, **kw):
    return AttributionFact(id, source, report, stance, **kw)


def weigh_(attributions, reports, sources=SOURCES):
    return weigh(attributions, sources, {r.id: r for r in reports})


WIRE = report(100, "Reuters", day(1))
SITE_B = report(200, "Devdiscourse", day(2), 100)
SITE_C = report(300, "Africanews", day(2), 100)


def test_a_reuters_wire_republished_by_two_sites_is_one_circular_origin_with_two_relays():
    result = weigh_(
        [
            says(1, REUTERS, 100, outlet_voice=True),
            says(2, DEVDISCOURSE, 200, outlet_voice=True),
            says(3, AFRICANEWS, 300, outlet_voice=True),
        ],
        [WIRE, SITE_B, SITE_C],
    )

    [origin] = result.origins
    assert (origin.source, origin.attributions, origin.relays) == (REUTERS, (1, 2, 3), (2, 3))
    assert origin.circular
    assert result.supporting_origins == 1
    assert result.relay_of == {1: None, 2: 1, 3: 1}


def test_a_speaker_quoted_by_reuters_and_requoted_by_two_sites_is_one_origin_and_never_confirmed():
    result = weigh_(
        [says(1, MALIAN_ARMY, 100), says(2, MALIAN_ARMY, 200), says(3, MALIAN_ARMY, 300)], [WIRE, SITE_B, SITE_C]
    )

    [origin] = result.origins
    assert origin.relays == (2, 3)
    assert origin.circular
    assert (result.suggested_credibility, result.reason) == (2, "1 origin, 1 party: Mali — single source")


def test_a_relay_of_a_relay_joins_the_root_origin():
    result = weigh_(
        [says(1, MALIAN_ARMY, 100), says(2, MALIAN_ARMY, 200), says(3, MALIAN_ARMY, 400)],
        [WIRE, SITE_B, report(400, "Africanews", day(3), 200)],
    )

    [origin] = result.origins
    assert origin.relays == (2, 3)
    assert result.relay_of == {1: None, 2: 1, 3: 1}


def test_a_relay_in_the_same_outlet_is_not_circular():
    result = weigh_([says(1, MALIAN_ARMY, 100), says(2, MALIAN_ARMY, 101)], [WIRE, report(101, "Reuters", day(2), 100)])

    assert result.origins[0].relays == (2,)
    assert not result.origins[0].circular


def test_an_outlet_citing_reuters_through_via_relays_the_wire_without_a_derivation_row():
    unrelated_site = report(500, "Africanews", day(3))
    result = weigh_(
        [says(1, REUTERS, 100, outlet_voice=True), says(2, AFRICANEWS, 500, outlet_voice=True, via=100)],
        [WIRE, unrelated_site],
    )

    assert result.relay_of == {1: None, 2: 1}
    assert result.origins[0].circular


def test_via_reaches_what_the_cited_report_derives_from():
    result = weigh_(
        [says(1, MALIAN_ARMY, 100), says(2, MALIAN_ARMY, 500, via=200)],
        [WIRE, SITE_B, report(500, "Africanews", day(3))],
    )

    assert result.relay_of[2] == 1


def test_a_speaker_appearing_first_in_a_derived_report_is_that_reports_own_reporting():
    result = weigh_(
        [says(1, REUTERS, 100, outlet_voice=True), says(2, MALIAN_ARMY, 200)],
        [WIRE, SITE_B],
    )

    assert result.relay_of == {1: None, 2: None}
    assert [o.source for o in result.origins] == [REUTERS, MALIAN_ARMY]


def test_a_later_report_denying_what_it_derives_from_is_not_a_relay():
    result = weigh_([says(1, MALIAN_ARMY, 100), says(2, MALIAN_ARMY, 200, CONTRADICTS)], [WIRE, SITE_B])

    assert result.relay_of[2] is None
    assert (result.supporting_origins, result.contradicting_origins) == (1, 1)


def test_when_several_attributions_qualify_the_earliest_is_relayed():
    result = weigh_(
        [says(1, MALIAN_ARMY, 100), says(2, MALIAN_ARMY, 150), says(3, MALIAN_ARMY, 200)],
        [WIRE, report(150, "AP", day(1)), report(200, "Devdiscourse", day(2), 150, 100)],
    )

    assert result.relay_of == {1: None, 2: None, 3: 1}


def test_the_same_speaker_in_two_unrelated_reports_is_one_origin_not_corroboration():
    result = weigh_(
        [says(1, MALIAN_GOVERNMENT, 100), says(2, MALIAN_GOVERNMENT, 500)],
        [WIRE, report(500, "AP", day(5))],
    )

    [origin] = result.origins
    assert origin.attributions == (1, 2)
    assert origin.relays == ()
    assert not origin.circular


def test_two_outlets_in_their_own_voice_in_unrelated_reports_are_two_origins_even_under_one_source_row():
    sources = {**SOURCES, 94: SourceFact(94, "the outlet, in its own voice")}
    result = weigh_(
        [says(1, 94, 100, outlet_voice=True), says(2, 94, 500, outlet_voice=True)],
        [WIRE, report(500, "Africanews", day(3))],
        sources,
    )

    assert result.supporting_origins == 2
    assert result.relay_of == {1: None, 2: None}


def test_same_as_collapses_two_source_rows_into_one_origin_even_through_a_chain():
    sources = {
        **SOURCES,
        41: SourceFact(41, "un haut gradé malien", member_of=MALI),
        42: SourceFact(42, "le haut gradé précité", same_as=41),
        43: SourceFact(43, "the senior Malian officer", same_as=42),
    }
    result = weigh_(
        [says(1, 41, 100), says(2, 42, 500), says(3, 43, 600)],
        [WIRE, report(500, "Le Monde", day(3)), report(600, "AP", day(4))],
        sources,
    )

    [origin] = result.origins
    assert (origin.source, origin.party, origin.attributions) == (41, MALI, (1, 2, 3))
    assert canonical(43, sources) == 41


def test_two_speakers_of_one_party_are_two_origins_but_one_party():
    result = weigh_(
        [says(1, MALIAN_ARMY, 100), says(2, MALIAN_GOVERNMENT, 500)],
        [WIRE, report(500, "AP", day(3))],
    )

    assert (result.supporting_origins, result.supporting_parties) == (2, 1)
    assert {o.party for o in result.origins} == {MALI}
    assert result.suggested_credibility == 2
    assert result.reason == "2 origins, 1 party: Mali — single party"


def test_two_parties_supporting_confirm_the_claim():
    result = weigh_(
        [says(1, MALIAN_ARMY, 100), says(2, ALGERIAN_MOD, 500), says(3, MALIAN_GOVERNMENT, 600)],
        [WIRE, report(500, "APS", day(3)), report(600, "AP", day(4))],
    )

    assert result.suggested_credibility == 1
    assert result.reason == "3 origins, 2 parties: Algeria, Mali"
    assert not result.single_source


def test_two_parties_whose_every_supporting_origin_is_hedged_are_only_probably_true():
    result = weigh_(
        [says(1, MALIAN_ARMY, 100, hedged=True), says(2, ALGERIAN_MOD, 500, hedged=True)],
        [WIRE, report(500, "APS", day(3))],
    )

    assert [o.hedged for o in result.origins] == [True, True]
    assert result.suggested_credibility == 2
    assert result.reason.endswith("— every supporting origin hedged")


def test_an_origin_is_hedged_only_when_every_attribution_in_it_is():
    result = weigh_([says(1, MALIAN_ARMY, 100, hedged=True), says(2, MALIAN_ARMY, 200)], [WIRE, SITE_B])

    assert not result.origins[0].hedged


def test_a_single_source_is_flagged():
    result = weigh_([says(1, ALGERIAN_MOD, 100)], [WIRE])

    assert result.single_source
    assert result.reason == "1 origin, 1 party: Algeria — single source"


def test_a_neutral_attribution_is_neither_supporting_nor_contradicting():
    result = weigh_([says(1, REUTERS, 100, NEUTRAL, outlet_voice=True)], [WIRE])

    assert [o.stance for o in result.origins] == [NEUTRAL]
    assert (result.supporting_origins, result.contradicting_origins) == (0, 0)
    assert (result.suggested_credibility, result.reason) == (6, "nothing supports it")


def test_two_parties_against_one_is_possibly_true():
    result = weigh_(
        [says(1, MALIAN_ARMY, 100), says(2, NIGERIEN_JUNTA, 500), says(3, ALGERIAN_MOD, 600, CONTRADICTS)],
        [WIRE, report(500, "AP", day(2)), report(600, "APS", day(3))],
    )

    assert result.suggested_credibility == 3
    assert result.reason == "contested: 2 parties support (Mali, Niger), 1 contradicts (Algeria)"


def test_one_party_against_one_is_doubtful():
    result = weigh_(
        [says(1, MALIAN_GOVERNMENT, 100), says(2, ALGERIAN_MOD, 500, CONTRADICTS)],
        [WIRE, report(500, "APS", day(2))],
    )

    assert result.suggested_credibility == 4
    assert result.reason == "contested: 1 party supports (Mali), 1 contradicts (Algeria)"


def test_one_party_against_two_is_improbable():
    result = weigh_(
        [
            says(1, ALGERIAN_MOD, 100),
            says(2, MALIAN_GOVERNMENT, 500, CONTRADICTS),
            says(3, NIGERIEN_JUNTA, 600, "contradicts"),
        ],
        [WIRE, report(500, "ORTM", day(2)), report(600, "RTN", day(3))],
    )

    assert result.suggested_credibility == 5
    assert result.reason == "contested: 1 party supports (Algeria), 2 contradict (Mali, Niger)"


def test_a_claim_only_contradicted_cannot_be_judged():
    result = weigh_([says(1, ALGERIAN_MOD, 100, CONTRADICTS)], [WIRE])

    assert (result.suggested_credibility, result.reason) == (6, "nothing supports it; 1 party contradicts (Algeria)")


def test_an_empty_claim_weighs_as_six_with_all_zeros():
    result = weigh([], SOURCES, {})

    assert result.as_dict() == {
        "supporting_origins": 0,
        "contradicting_origins": 0,
        "supporting_parties": 0,
        "contradicting_parties": 0,
        "single_source": False,
        "suggested_credibility": 6,
        "reason": "nothing supports it",
        "origins": [],
    }


def test_as_dict_lists_supporting_origins_first_then_contradicting_then_neutral():
    result = weigh_(
        [
            says(1, REUTERS, 100, NEUTRAL, outlet_voice=True),
            says(2, ALGERIAN_MOD, 500, CONTRADICTS),
            says(3, MALIAN_ARMY, 600),
        ],
        [WIRE, report(500, "APS", day(2)), report(600, "ORTM", day(3))],
    )

    origins = result.as_dict()["origins"]
    assert [o["stance"] for o in origins] == ["supports", "contradicts", "neutral"]
    assert origins[0] == {
        "stance": "supports",
        "source": MALIAN_ARMY,
        "party": MALI,
        "attributions": [3],
        "relays": [],
        "hedged": False,
        "circular": False,
    }


def test_chain_cycle_finds_a_same_as_or_member_of_cycle():
    same_as = {1: 2, 2: 3, 3: 2}

    assert chain_cycle(1, same_as) == [2, 3, 2]
    assert chain_cycle(4, lambda s: 4 if s == 4 else None) == [4, 4]
    assert chain_cycle(1, {1: 2, 2: None}) is None


def test_closes_cycle_refuses_an_edge_that_closes_a_derivation_cycle_and_names_the_chain():
    derived_from = {300: [200], 200: [100]}

    assert closes_cycle(derived_from, 100, 300) == [100, 300, 200, 100]
    assert closes_cycle(derived_from, 100, 100) == [100, 100]
    assert closes_cycle(derived_from, 300, 100) is None


def test_resolution_stops_on_cyclic_bad_data():
    sources = {
        1: SourceFact(1, "a", same_as=2, member_of=3),
        2: SourceFact(2, "b", same_as=1, member_of=3),
        3: SourceFact(3, "c", member_of=4),
        4: SourceFact(4, "d", member_of=3),
    }
    reports = {1: report(1, "x", day(1), 2), 2: report(2, "y", day(1), 1)}

    assert canonical(1, sources) == canonical(2, sources) == 1
    assert party(1, sources) == 3
    assert ancestors(1, reports) == {2}
    result = weigh([says(1, 1, 1), says(2, 2, 2), says(3, 1, 2, via=1), says(4, 2, 1, via=2)], sources, reports)
    assert sum(1 for root in result.relay_of.values() if root is None) == 1


def test_missing_sources_and_reports_in_a_chain_do_not_crash():
    sources = {1: SourceFact(1, "a", same_as=7), 2: SourceFact(2, "b", member_of=8)}
    reports = {1: report(1, "x", day(1), 9)}

    assert (canonical(7, sources), canonical(1, sources), party(2, sources)) == (7, 7, 8)
    assert ancestors(1, reports) == {9}
    assert weigh([says(1, 1, 1)], sources, reports).reason == "1 origin, 1 party: source 7 — single source"


# Property tests: random claims, acyclic links.

OUTLETS = ["Reuters", "AP", "Le Monde"]


@st.composite
def claims(draw):
    n_sources = draw(st.integers(1, 5))
    sources = {}
    for i in range(1, n_sources + 1):
        earlier = st.none() | st.integers(1, i - 1) if i > 1 else st.none()
        sources[i] = SourceFact(i, f"s{i}", same_as=draw(earlier), member_of=draw(earlier))
    n_reports = draw(st.integers(1, 4))
    reports = {}
    for r in range(1, n_reports + 1):
        derived = draw(st.lists(st.integers(1, r - 1), max_size=2, unique=True)) if r > 1 else []
        reports[r] = report(r, draw(st.sampled_from(OUTLETS)), day(draw(st.integers(1, 5))), *derived)
    attributions = [
        says(
            i,
            draw(st.integers(1, n_sources)),
            draw(st.integers(1, n_reports)),
            draw(st.sampled_from(Stance)),
            hedged=draw(st.booleans()),
            outlet_voice=draw(st.booleans()),
            via=draw(st.none() | st.integers(1, n_reports)),
        )
        for i in range(1, draw(st.integers(0, 6)) + 1)
    ]
    return attributions, sources, reports


@given(claims(), st.data())
def test_adding_a_relay_never_raises_the_supporting_count(claim, data):
    attributions, sources, reports = claim
    assume(attributions)
    relayed = data.draw(st.sampled_from(attributions))
    new_report = report(99, data.draw(st.sampled_from(OUTLETS)), day(data.draw(st.integers(1, 9))), relayed.report)
    relay = says(99, relayed.source, 99, relayed.stance, outlet_voice=relayed.outlet_voice)

    before = weigh(attributions, sources, reports)
    after = weigh([*attributions, relay], sources, {**reports, 99: new_report})

    assert after.relay_of[99] is not None
    assert after.supporting_origins <= before.supporting_origins
    assert after.supporting_parties <= before.supporting_parties


@given(claims())
def test_a_new_speaker_of_a_new_party_adds_exactly_one_supporting_origin(claim):
    attributions, sources, reports = claim
    newcomer = says(99, 99, 99)

    before = weigh(attributions, sources, reports)
    after = weigh(
        [*attributions, newcomer], {**sources, 99: SourceFact(99, "new")}, {**reports, 99: report(99, "AP", day(3))}
    )

    assert after.supporting_origins == before.supporting_origins + 1
    assert after.supporting_parties == before.supporting_parties + 1


@given(claims())
def test_every_attribution_is_in_exactly_one_origin(claim):
    attributions, sources, reports = claim

    result = weigh(attributions, sources, reports)

    assert Counter(i for o in result.origins for i in o.attributions) == Counter(a.id for a in attributions)


@given(claims())
def test_confirmed_needs_two_supporting_parties_and_no_contradiction(claim):
    result = weigh(*claim)

    if result.suggested_credibility == 1:
        assert result.supporting_parties >= 2
        assert result.contradicting_parties == 0
