"""Ranking existing claims by shared words and shared entities (`claims.similarity`)."""

import pytest

from claims.similarity import Candidate, fold, mentions, rank, ranker, score, words

CLAIMS = [
    Candidate(
        1,
        "Turkish paramilitaries guard General Goïta in Kati.\nDes paramilitaires turcs gardent Goïta à Kati.",
        {10: ("Assimi Goïta", "Goita")},
    ),
    Candidate(
        2,
        "About 2,000 Africa Corps members are in Mali.\nEnviron 2 000 membres d’Africa Corps au Mali.",
        {11: ("Africa Corps",)},
    ),
    Candidate(3, "Algeria shot down an Akinci drone on 1 April 2025.", {12: ("Akinci", "Akıncı")}),
    Candidate(4, "The price of gold passed 5,200 dollars an ounce.", {}),
]


def test_fold_drops_case_accents_and_curly_apostrophes():
    assert fold("L’Algérie GOÏTA Akıncı") == "l'algerie goita akinci"


def test_words_keep_content_words_folded_and_singular():
    assert words("Les drones turcs de l’armée") == {"drone", "turc", "armee"}


def test_mentions_match_whole_words_only():
    assert mentions("Le général Goïta à Kati", "Goita")
    assert not mentions("Les Kativa", "Kati")


def test_the_claim_sharing_most_words_comes_first():
    assert rank("Des paramilitaires turcs seraient présents à Kati", CLAIMS)[0] == 1


def test_a_shared_entity_named_by_its_alias_counts():
    with_entity = score("L’Akıncı abattu", CLAIMS[2])
    without = score("Le drone abattu", CLAIMS[2])
    assert with_entity > without
    assert rank("Un Akıncı turc abattu par l’Algérie", CLAIMS) == [3]


def test_unrelated_claims_are_left_out():
    assert rank("La Bourse de Paris a clôturé en hausse", CLAIMS) == []


def test_best_first_at_most_limit_ties_by_id():
    same = [Candidate(pk, "drones turcs au Mali", {}) for pk in (9, 5, 7)]
    assert rank("drones turcs au Mali", same, limit=2) == [5, 7]


@pytest.mark.parametrize("passage", ["Environ 2 000 membres d’Africa Corps", "gold ounce price", "Goïta Kati"])
def test_a_prepared_ranker_ranks_as_rank_does(passage):
    assert ranker(CLAIMS)(passage) == rank(passage, CLAIMS)


def test_the_ranker_joins_the_texts_it_is_given():
    assert ranker(CLAIMS)("Environ 2 000 membres", "d’Africa Corps au Mali") == [2]
