"""Each filter of the shared FilterSet, through the API; bad values give 400 naming the field."""

import datetime

import pytest
from django.utils import timezone

from claims import services
from claims.models import Attribution, Claim
from sources.models import Report, Source
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EntityFactory,
    ReportFactory,
    SourceFactory,
)

VETTED = Claim.Status.VETTED


@pytest.fixture
def pair(db):
    """Two vetted claims that differ in everything a filter looks at."""
    wanted = ClaimFactory(
        status=VETTED,
        kind=Claim.Kind.ALLEGATION,
        likelihood=Claim.Likelihood.LIKELY,
        confidence=Claim.Confidence.HIGH,
        about_date=datetime.date(2025, 4, 1),
        about_precision=Claim.DatePrecision.DAY,
    )
    wanted.entities.add(EntityFactory(name="Akinci"))
    AttributionFactory(
        claim=wanted,
        source=SourceFactory(kind="group", reliability="B", anonymous=False),
        report=ReportFactory(published=datetime.date(2025, 6, 1)),
        quote="Plusieurs observateurs y voient une rivalité croissante.",
        credibility=2,
    )
    other = ClaimFactory(
        status=VETTED,
        kind=Claim.Kind.EVENT,
        likelihood=Claim.Likelihood.UNLIKELY,
        confidence=Claim.Confidence.LOW,
        about_date=datetime.date(2023, 1, 1),
        about_precision=Claim.DatePrecision.YEAR,
    )
    other.entities.add(EntityFactory(name="Bamako"))
    AttributionFactory(
        claim=other,
        source=SourceFactory(kind="anonymous_individual", reliability="F"),
        report=ReportFactory(published=datetime.date(2024, 1, 1)),
        credibility=5,
    )
    # `other` and its evidence last changed a year ago.
    long_ago = timezone.now() - datetime.timedelta(days=365)
    Claim.objects.filter(pk=other.pk).update(updated_at=long_ago)
    Attribution.objects.filter(claim=other).update(updated_at=long_ago)
    evidence = other.attributions.get()
    Source.objects.filter(pk=evidence.source_id).update(updated_at=long_ago)
    Report.objects.filter(pk=evidence.report_id).update(updated_at=long_ago)
    return {"wanted": wanted, "other": other}


def yesterday() -> str:
    return (timezone.now() - datetime.timedelta(days=1)).isoformat()


CASES = {
    "kind": ({"kind": "allegation"}, "wanted"),
    "source kind": ({"source_kind": "group"}, "wanted"),
    "reliability at or above": ({"reliability": "C"}, "wanted"),
    "credibility at or better than": ({"credibility": "3"}, "wanted"),
    "likelihood": ({"likelihood": "unlikely"}, "other"),
    "confidence": ({"confidence": "high"}, "wanted"),
    "entity": (lambda pair: {"entity": pair["other"].entities.get().pk}, "other"),
    "report": (lambda pair: {"report": pair["wanted"].attributions.get().report_id}, "wanted"),
    "about after": ({"about_after": "2025-01-01"}, "wanted"),
    "about before": ({"about_before": "2024-01-01"}, "other"),
    "published after": ({"published_after": "2025-01-01"}, "wanted"),
    "published before": ({"published_before": "2024-12-31"}, "other"),
    "updated since": (lambda pair: {"updated_since": yesterday()}, "wanted"),
    "text": ({"q": "rivalité croissante"}, "wanted"),
}


@pytest.mark.parametrize("case", CASES)
def test_each_filter_selects_its_claims(consumer_client, pair, case):
    params, expected = CASES[case]
    params = params(pair) if callable(params) else params

    response = consumer_client.get("/api/v1/claims/", params)

    assert response.status_code == 200, response.content
    assert [claim["id"] for claim in response.json()["results"]] == [pair[expected].pk]


def test_updated_since_includes_claims_whose_attributions_changed(consumer_client, pair):
    since = timezone.now() - datetime.timedelta(days=1)
    attribution = pair["other"].attributions.get()
    attribution.verb = "estime"
    attribution.save()

    response = consumer_client.get("/api/v1/claims/", {"updated_since": since.isoformat()})

    assert {claim["id"] for claim in response.json()["results"]} == {pair["wanted"].pk, pair["other"].pk}


def changed_since(client, moment) -> set[int]:
    return {
        claim["id"] for claim in client.get("/api/v1/claims/", {"updated_since": moment.isoformat()}).json()["results"]
    }


def test_updated_since_includes_claims_whose_cited_source_or_report_changed(consumer_client, pair):
    since = timezone.now()
    source = pair["other"].attributions.get().source
    source.label = "un haut gradé malien, relabelled"
    source.save()

    assert changed_since(consumer_client, since) == {pair["other"].pk}


def test_updated_since_includes_both_ends_of_a_new_relation(consumer_client, pair):
    since = timezone.now()
    ClaimRelationFactory(from_claim=pair["wanted"], to_claim=pair["other"], kind="corroborates")

    assert changed_since(consumer_client, since) == {pair["wanted"].pk, pair["other"].pk}


def test_updated_since_includes_a_claim_whose_related_claim_became_vetted(consumer_client, pair, analyst, reviewer):
    draft = ClaimFactory(created_by=analyst)
    ClaimRelationFactory(from_claim=draft, to_claim=pair["other"], kind="corroborates")
    since = timezone.now()
    services.claim_transition(claim=draft, action="submit", by=analyst)
    services.claim_transition(claim=draft, action="vet", by=reviewer)

    assert changed_since(consumer_client, since) == {draft.pk, pair["other"].pk}


def test_the_status_filter_lets_an_analyst_choose_statuses(analyst_client, world):
    response = analyst_client.get("/api/v1/claims/", {"status": ["rejected", "retracted"]})

    assert {c["status"] for c in response.json()["results"]} == {"rejected", "retracted"}


def test_ordering_by_id_and_created_both_ways(consumer_client, db):
    claims = [ClaimFactory(status=VETTED) for _ in range(3)]
    oldest_first = [claim.pk for claim in claims]

    def order(value):
        return [c["id"] for c in consumer_client.get("/api/v1/claims/", {"ordering": value}).json()["results"]]

    assert order("id") == order("created") == oldest_first
    assert order("-id") == order("-created") == oldest_first[::-1]
    assert [c["id"] for c in consumer_client.get("/api/v1/claims/").json()["results"]] == oldest_first[::-1]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "rumour"}, "kind"),
        ({"status": "published"}, "status"),
        ({"source_kind": "oracle"}, "source_kind"),
        ({"reliability": "G"}, "reliability"),
        ({"reliability": "b"}, "reliability"),
        ({"credibility": "0"}, "credibility"),
        ({"credibility": "two"}, "credibility"),
        ({"likelihood": "certain"}, "likelihood"),
        ({"confidence": "total"}, "confidence"),
        ({"entity": "abc"}, "entity"),
        ({"entity": "999999"}, "entity"),
        ({"entity": "40034743974724373775363604480"}, "entity"),
        ({"report": "40034743974724373775363604480"}, "report"),
        ({"report": "-1"}, "report"),
        ({"about_after": "2025-13-01"}, "about"),
        ({"published_before": "yesterday"}, "published"),
        ({"updated_since": "last week"}, "updated_since"),
        ({"updated_since": "2025-02-30T00:00:00Z"}, "updated_since"),
        ({"ordering": "updated"}, "ordering"),
        ({"ordering": "statement"}, "ordering"),
    ],
)
def test_a_bad_filter_value_gives_400_naming_the_field(consumer_client, world, params, field):
    response = consumer_client.get("/api/v1/claims/", params)

    assert response.status_code == 400
    assert field in response.json()


def test_an_entity_of_draft_claims_only_is_as_unknown_to_a_consumer_as_a_missing_one(consumer_client, world):
    draft_entity = world.claims["draft"].entities.get().pk

    hidden = consumer_client.get("/api/v1/claims/", {"entity": draft_entity})
    missing = consumer_client.get("/api/v1/claims/", {"entity": 999999})

    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["entity"][0].replace(str(draft_entity), "N") == missing.json()["entity"][0].replace(
        "999999", "N"
    )


def test_a_report_of_draft_claims_only_is_as_unknown_to_a_consumer_as_a_missing_one(consumer_client, world):
    draft_report = world.claims["draft"].attributions.get().report_id

    hidden = consumer_client.get("/api/v1/claims/", {"report": draft_report})
    missing = consumer_client.get("/api/v1/claims/", {"report": 999999})

    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json()


def test_an_analyst_may_filter_by_an_entity_of_draft_claims(analyst_client, world):
    draft = world.claims["draft"]

    response = analyst_client.get("/api/v1/claims/", {"entity": draft.entities.get().pk, "status": "draft"})

    assert [c["id"] for c in response.json()["results"]] == [draft.pk]


@pytest.mark.parametrize(
    ("endpoint", "params", "field"),
    [
        ("sources", {"kind": "oracle"}, "kind"),
        ("sources", {"reliability": "Z"}, "reliability"),
        ("reports", {"kind": "tweet"}, "kind"),
        ("reports", {"published_after": "soon"}, "published"),
        ("entities", {"kind": "idea"}, "kind"),
    ],
)
def test_bad_filter_values_on_other_lists_give_400_naming_the_field(consumer_client, world, endpoint, params, field):
    response = consumer_client.get(f"/api/v1/{endpoint}/", params)

    assert response.status_code == 400
    assert field in response.json()


def test_source_report_and_entity_filters_select(consumer_client, pair):
    def listed(endpoint, params):
        return [row["id"] for row in consumer_client.get(f"/api/v1/{endpoint}/", params).json()["results"]]

    wanted_attribution = pair["wanted"].attributions.get()
    assert listed("sources", {"kind": "group"}) == [wanted_attribution.source_id]
    assert listed("sources", {"reliability": "B"}) == [wanted_attribution.source_id]
    assert listed("sources", {"anonymous": "false"}) == [wanted_attribution.source_id]
    assert listed("sources", {"q": "source"}) != []
    assert listed("reports", {"published_after": "2025-01-01"}) == [wanted_attribution.report_id]
    assert listed("reports", {"outlet": "le monde"}) != []
    assert listed("reports", {"language": "fr", "kind": "news_article"}) != []
    assert listed("entities", {"q": "akin"}) == [pair["wanted"].entities.get().pk]
    assert listed("entities", {"kind": "place"}) != []


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_an_updated_since_beyond_the_storable_years_is_a_400_naming_it(consumer_client, moment):
    response = consumer_client.get("/api/v1/claims/", {"updated_since": moment})

    assert response.status_code == 400
    assert "updated_since" in response.json()
