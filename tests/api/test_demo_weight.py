"""What an API consumer reads of the demo's weight of evidence: independent origins and parties, not mentions.

The demo is loaded once for the module; each test runs in a savepoint inside that load.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import override_settings

from claims import roles
from claims.demo import load_demo, read_demo

CORROBORATION_FIELDS = {
    "supporting_origins",
    "contradicting_origins",
    "supporting_parties",
    "contradicting_parties",
    "single_source",
    "suggested_credibility",
    "reason",
    "origins",
}
ORIGIN_FIELDS = {"stance", "source", "party", "attributions", "relays", "hedged", "circular"}


@pytest.fixture(scope="module")
def demo_for_the_module(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module and rolled back at its end."""
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        roles.sync_groups(Group, Permission)
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def api_claims(demo_for_the_module, db, consumer_client) -> dict[str, dict]:
    """Every claim the consumer reads, by demo key (one page holds the demo)."""
    response = consumer_client.get("/api/v1/claims/", {"page_size": 200})
    assert response.status_code == 200
    assert response.json()["next"] is None
    keys = {item["statement"]: item["key"] for item in read_demo()["claims"]}
    return {keys[claim["statement"]]: claim for claim in response.json()["results"]}


@pytest.fixture
def label_of(consumer_client):
    def label(source_id: int) -> str:
        response = consumer_client.get(f"/api/v1/sources/{source_id}/")
        assert response.status_code == 200
        return response.json()["label"]

    return label


def supporting(claim: dict) -> list[dict]:
    return [attribution for attribution in claim["attributions"] if attribution["stance"] == "supports"]


def origins(claim: dict, stance: str) -> list[dict]:
    return [origin for origin in claim["corroboration"]["origins"] if origin["stance"] == stance]


def test_every_claim_the_consumer_reads_carries_its_corroboration(api_claims):
    assert len(api_claims) >= 40
    for claim in api_claims.values():
        corroboration = claim["corroboration"]
        assert set(corroboration) == CORROBORATION_FIELDS, claim["statement"]
        assert corroboration["origins"], claim["statement"]
        assert all(set(origin) == ORIGIN_FIELDS for origin in corroboration["origins"])


def test_a_crash_repeated_in_three_reports_is_one_supporting_origin(api_claims):
    many_mentions_one_origin = [
        key
        for key, claim in api_claims.items()
        if len(supporting(claim)) >= 3 and claim["corroboration"]["supporting_origins"] == 1
    ]
    assert "fama-drone-crash" in many_mentions_one_origin

    crash = api_claims["fama-drone-crash"]
    corroboration = crash["corroboration"]
    assert len(supporting(crash)) == 3
    assert (corroboration["supporting_parties"], corroboration["contradicting_parties"]) == (1, 0)
    assert corroboration["single_source"] is True
    assert corroboration["suggested_credibility"] == 2
    (origin,) = corroboration["origins"]
    assert sorted(origin["attributions"]) == sorted(attribution["id"] for attribution in crash["attributions"])
    # Devdiscourse republishing the Reuters dispatch: a relay, and different outlets collapsing into one origin.
    (relay,) = origin["relays"]
    relayed = next(attribution for attribution in crash["attributions"] if attribution["id"] == relay)
    assert relayed["relay_of"] in origin["attributions"]
    assert origin["circular"] is True


def test_the_shoot_down_has_two_supporting_parties_and_suggests_credibility_1(api_claims, label_of):
    shot_down = api_claims["akinci-shot-down"]
    corroboration = shot_down["corroboration"]

    assert len(supporting(shot_down)) == 4
    assert corroboration["supporting_origins"] == 2
    assert (corroboration["supporting_parties"], corroboration["contradicting_parties"]) == (2, 0)
    assert corroboration["suggested_credibility"] == 1
    assert {label_of(origin["party"]) for origin in origins(shot_down, "supports")} == {
        "Government of Algeria",
        "Government of Mali",
    }
    # The ministry's statement, repeated by AP and by Reuters (through Devdiscourse): one origin, two relays.
    algeria = next(origin for origin in origins(shot_down, "supports") if len(origin["attributions"]) > 1)
    assert label_of(algeria["source"]) == "Algerian Ministry of National Defence"
    assert len(algeria["relays"]) == 2
    # Mali's government speaks from 8 April; its army had only owned a crash (neutral, counted for neither side).
    mali = next(origin for origin in origins(shot_down, "supports") if origin is not algeria)
    (mali_attribution,) = (a for a in shot_down["attributions"] if a["id"] in mali["attributions"])
    assert mali_attribution["report"]["published"] == "2025-04-08"
    (army,) = origins(shot_down, "neutral")
    assert label_of(army["source"]) == "Malian armed forces (FAMa)"
    assert label_of(army["party"]) == "Government of Mali"
    # Le Monde's sentence supports only the identification of the drone, which refines the shoot-down.
    assert "Le Monde" not in {attribution["source"]["label"] for attribution in shot_down["attributions"]}
    identified = api_claims["akinci-identified"]
    relations = {
        (relation["kind"], relation["direction"], relation["claim_id"]) for relation in identified["relations"]
    }
    assert ("refines", "outgoing", shot_down["id"]) in relations


def test_the_airspace_violation_is_contested_one_party_each_side(api_claims, label_of):
    airspace = api_claims["drone-violated-algerian-airspace"]
    corroboration = airspace["corroboration"]

    assert (corroboration["supporting_parties"], corroboration["contradicting_parties"]) == (1, 1)
    assert corroboration["suggested_credibility"] == 4
    assert corroboration["reason"].startswith("contested")
    assert {label_of(origin["party"]) for origin in origins(airspace, "supports")} == {"Government of Algeria"}
    assert {label_of(origin["party"]) for origin in origins(airspace, "contradicts")} == {"Government of Mali"}
    # Algeria's change of figure shows: two statements of one party, about 2 km on 1 April, 1.6 km on 8 April.
    assert corroboration["supporting_origins"] == 2
    figures = {
        attribution["report"]["published"]: attribution["quote"]
        for attribution in supporting(airspace)
        if attribution["relay_of"] is None
    }
    assert "about 2 kilometres" in figures["2025-04-01"]
    assert "1.6 kilometres" in figures["2025-04-08"]
