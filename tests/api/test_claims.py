"""The claims endpoint: what each persona sees, what a claim carries, caching and the query budget."""

import pytest

from claims import services
from claims.models import Claim, ClaimRelation, Entity
from sources.models import Source
from tests.factories import AttributionFactory, ClaimFactory, ClaimRelationFactory, EntityFactory

VETTED = Claim.Status.VETTED


def ids(response) -> list[int]:
    return [claim["id"] for claim in response.json()["results"]]


def test_consumer_lists_vetted_claims_only(consumer_client, world):
    response = consumer_client.get("/api/v1/claims/")

    assert response.status_code == 200
    assert set(response.json()) == {"next", "previous", "results"}
    assert sorted(ids(response)) == sorted([world.vetted.pk, world.peer.pk])


@pytest.mark.parametrize("status", [s for s in Claim.Status if s != VETTED])
def test_consumer_gets_404_for_an_unvetted_claim_exactly_as_for_a_missing_one(consumer_client, world, status):
    unvetted = consumer_client.get(f"/api/v1/claims/{world.claims[status].pk}/")
    missing = consumer_client.get("/api/v1/claims/999999/")

    assert unvetted.status_code == missing.status_code == 404
    assert unvetted.json() == missing.json()


@pytest.mark.parametrize("status", [s for s in Claim.Status if s != VETTED])
def test_consumer_asking_for_another_status_gets_nothing(consumer_client, world, status):
    assert ids(consumer_client.get("/api/v1/claims/", {"status": status})) == []
    assert consumer_client.get(f"/api/v1/claims/{world.claims[status].pk}/", {"status": status}).status_code == 404


def test_consumer_never_learns_an_unvetted_claim_through_relations(consumer_client, world):
    claim = consumer_client.get(f"/api/v1/claims/{world.vetted.pk}/").json()

    assert claim["relations"] == [
        {"kind": "corroborates", "direction": "incoming", "claim_id": world.peer.pk, "statement": "The peer claim."}
    ]
    body = consumer_client.get("/api/v1/claims/").content.decode()
    for status, other in world.claims.items():
        if status != VETTED:
            assert other.statement not in body


def test_analyst_sees_vetted_claims_by_default_and_others_on_request(analyst_client, world):
    assert sorted(ids(analyst_client.get("/api/v1/claims/"))) == sorted([world.vetted.pk, world.peer.pk])

    drafts = analyst_client.get("/api/v1/claims/", {"status": ["draft", "in_review"]})
    assert sorted(ids(drafts)) == sorted([world.claims["draft"].pk, world.claims["in_review"].pk])
    detail = analyst_client.get(f"/api/v1/claims/{world.claims['draft'].pk}/", {"status": "draft"})
    assert detail.status_code == 200
    assert analyst_client.get(f"/api/v1/claims/{world.claims['draft'].pk}/").status_code == 404


def test_analyst_sees_relations_to_claims_of_every_status(analyst_client, world):
    claim = analyst_client.get(f"/api/v1/claims/{world.vetted.pk}/").json()

    related = {(r["direction"], r["claim_id"]) for r in claim["relations"]}
    assert related == {
        ("outgoing", world.claims["draft"].pk),
        ("outgoing", world.claims["in_review"].pk),
        ("incoming", world.claims["rejected"].pk),
        ("incoming", world.claims["retracted"].pk),
        ("incoming", world.peer.pk),
    }


def test_a_claim_carries_its_evidence_entities_and_judgement(consumer_client, db):
    claim = ClaimFactory(status=VETTED, likelihood="likely", confidence="moderate")
    claim.entities.add(EntityFactory(name="Bamako", aliases="Bamakó"))
    source = Source.objects.create(label="un officier malien", kind="anonymous_individual", reliability="F")
    attribution = AttributionFactory(
        claim=claim, source=source, quote="Ils sont très discrets", verb="affirme", hedged=True, credibility=3
    )

    body = consumer_client.get(f"/api/v1/claims/{claim.pk}/").json()

    assert body["id"] == claim.pk
    assert body["status"] == "vetted"
    assert (body["likelihood"], body["confidence"]) == ("likely", "moderate")
    assert body["entities"][0]["name"] == "Bamako"
    assert body["entities"][0]["aliases"] == ["Bamakó"]
    assert {"created_at", "updated_at"} <= set(body)
    [evidence] = body["attributions"]
    assert evidence["grade"] == "F3"
    assert evidence["source"]["kind"] == "anonymous_individual"
    assert evidence["source"]["reliability"] == "F"
    assert evidence["report"]["outlet"] == attribution.report.outlet
    assert evidence["report"]["published"] == attribution.report.published.isoformat()
    assert "url" in evidence["report"]
    assert evidence["report"]["id"] == attribution.report_id
    assert attribution.report.body[evidence["start"] : evidence["end"]] == evidence["quote"]
    assert (evidence["mode"], evidence["stance"], evidence["hedged"]) == ("paraphrase", "supports", True)
    assert "body" not in evidence["report"]


# Query budget ---------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 100])
def test_claims_list_runs_eight_queries_however_many_claims(consumer_client, db, django_assert_num_queries, count):
    peer = ClaimFactory(status=VETTED)
    entity = EntityFactory()
    for _ in range(count):
        claim = ClaimFactory(status=VETTED)
        claim.entities.add(entity)
        AttributionFactory(claim=claim)
        ClaimRelationFactory(from_claim=claim, to_claim=peer)
    services.claims_reweigh(Claim.objects.values_list("pk", flat=True))

    # 1. the token and its user; 2-3. the user's and the user's groups' permissions;
    # 4. a page of claims (their weight stored with them); 5. their attributions with source and report;
    # 6. their entities; 7. relations from them (with the claim at the other end); 8. relations to them.
    with django_assert_num_queries(8):
        response = consumer_client.get("/api/v1/claims/", {"page_size": 200})

    results = response.json()["results"]
    assert len(results) == count + 1
    assert sum(claim["corroboration"]["supporting_origins"] for claim in results) == count


@pytest.mark.parametrize("count", [3, 30])
def test_claims_csv_runs_the_same_eight_queries(consumer_client, db, django_assert_num_queries, count):
    for _ in range(count):
        AttributionFactory(claim=ClaimFactory(status=VETTED))

    with django_assert_num_queries(8):
        consumer_client.get("/api/v1/claims/", {"format": "csv"})


# Caching ---------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/claims/", "/api/v1/claims/{pk}/"])
def test_unchanged_data_gets_304_and_a_change_gets_200(consumer_client, world, url):
    url = url.format(pk=world.vetted.pk)
    first = consumer_client.get(url)
    etag = first["ETag"]

    again = consumer_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""

    world.vetted.statement = "A corrected statement."
    world.vetted.save()
    changed = consumer_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_regrading_a_source_changes_the_etag_of_the_claims_citing_it(consumer_client, world):
    url = f"/api/v1/claims/{world.vetted.pk}/"
    etag = consumer_client.get(url)["ETag"]

    Source.objects.filter(attributions__claim=world.vetted).update(reliability="B")

    assert consumer_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_responses_are_private_and_always_revalidated(consumer_client, world):
    response = consumer_client.get("/api/v1/claims/")

    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]


def test_consumer_and_analyst_get_different_etags_for_the_same_claim(consumer_client, analyst_client, world):
    url = f"/api/v1/claims/{world.vetted.pk}/"

    assert consumer_client.get(url)["ETag"] != analyst_client.get(url)["ETag"]


# Sources, reports, entities ---------------------------------------------------


def test_consumer_sees_only_sources_reports_and_entities_of_vetted_claims(consumer_client, world):
    visible = [world.vetted, world.peer]
    expected = {
        "sources": {a.source_id for c in visible for a in c.attributions.all()},
        "reports": {a.report_id for c in visible for a in c.attributions.all()},
        "entities": set(world.vetted.entities.values_list("pk", flat=True)),
    }
    for endpoint, wanted in expected.items():
        response = consumer_client.get(f"/api/v1/{endpoint}/")
        assert {row["id"] for row in response.json()["results"]} == wanted, endpoint

    draft = world.claims["draft"]
    draft_source = draft.attributions.get().source_id
    assert consumer_client.get(f"/api/v1/sources/{draft_source}/").status_code == 404
    assert consumer_client.get(f"/api/v1/entities/{draft.entities.get().pk}/").status_code == 404


def test_analyst_sees_every_source_report_and_entity(analyst_client, world):
    response = analyst_client.get("/api/v1/entities/")

    assert len(response.json()["results"]) == Entity.objects.count()


def test_a_report_lists_only_its_vetted_claims(consumer_client, analyst_client, world):
    report = world.vetted.attributions.get().report
    AttributionFactory(claim=world.claims["draft"], report=report)
    AttributionFactory(claim=world.peer, report=report)

    for client in (consumer_client, analyst_client):
        body = client.get(f"/api/v1/reports/{report.pk}/").json()
        assert body["claims"] == sorted([world.vetted.pk, world.peer.pk])
        assert "body" not in body


@pytest.mark.parametrize("endpoint", ["sources", "reports", "entities"])
@pytest.mark.parametrize("count", [3, 30])
def test_other_lists_run_a_fixed_number_of_queries(consumer_client, db, django_assert_num_queries, endpoint, count):
    for _ in range(count):
        claim = ClaimFactory(status=VETTED)
        claim.entities.add(EntityFactory())
        AttributionFactory(claim=claim)

    # 1. token and user; 2-3. permissions; 4. the page (visibility is a subquery);
    # reports: 5. the attributions of vetted claims, for their ids, 6. the derivations to visible reports;
    # sources: 5. the sources in a same_as/member_of chain, 6. the claims their speakers supported.
    with django_assert_num_queries({"sources": 6, "reports": 6, "entities": 4}[endpoint]):
        response = consumer_client.get(f"/api/v1/{endpoint}/")

    assert len(response.json()["results"]) == count


def test_relation_kinds_are_reported_as_stored(consumer_client, world):
    ClaimRelation.objects.filter(from_claim=world.peer).update(kind=ClaimRelation.Kind.REFINES)

    relation = consumer_client.get(f"/api/v1/claims/{world.peer.pk}/").json()["relations"][0]

    assert (relation["kind"], relation["direction"], relation["claim_id"]) == ("refines", "outgoing", world.vetted.pk)


def test_the_api_speaks_english_whatever_the_readers_language(analyst_client, make_evidence):
    """What the API says is data and errors scripts read: a French interface must not change a byte of it, nor
    the ETag (the export cache is keyed by it)."""
    make_evidence(2)
    Claim.objects.update(likelihood=Claim.Likelihood.LIKELY, confidence=Claim.Confidence.MODERATE)

    for url in ("/api/v1/claims/?format=claimreview", "/api/v1/claims/?status=bogus"):
        english = analyst_client.get(url)
        french = analyst_client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert french.content == english.content, url
        assert french.get("ETag") == english.get("ETag"), url
    assert "valid choice" in english.content.decode()
