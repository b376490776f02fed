"""Provenance in the API: a source's party and track record, the reports a report derives from; what a
consumer may count, and a query budget that does not grow with the rows."""

import pytest
import yaml

from claims import services
from claims.models import Attribution, Claim
from sources.models import ReportDerivation
from tests.factories import AttributionFactory, ClaimFactory, ReportFactory, SourceFactory

VETTED = Claim.Status.VETTED


def listed(client, endpoint: str) -> dict[int, dict]:
    response = client.get(f"/api/v1/{endpoint}/", {"page_size": 200})
    assert response.status_code == 200
    return {row["id"]: row for row in response.json()["results"]}


def claim_supported_by(source, *, status=VETTED, contradicted_by: int = 0, report=None) -> Claim:
    """A claim in `status` that `source` supports, contradicted by `contradicted_by` parties; weighed."""
    claim = ClaimFactory(status=status)
    AttributionFactory(claim=claim, source=source, **({"report": report} if report else {}))
    for _ in range(contradicted_by):
        AttributionFactory(claim=claim, stance=Attribution.Stance.CONTRADICTS)
    services.claims_reweigh([claim.pk])
    return claim


def record(row: dict) -> tuple[int, int, int, str | None]:
    track = row["track_record"]
    return track["stand"], track["failed"], track["open"], track["suggested_reliability"]


# Sources: party ---------------------------------------------------------------------------------------


def test_a_sources_party_is_the_top_of_its_member_of_chain_after_same_as(analyst_client, db):
    government = SourceFactory(label="Government of Mali")
    army = SourceFactory(label="FAMa", member_of=government)
    unit = SourceFactory(label="a FAMa unit", member_of=army)
    unit_again = SourceFactory(label="the unit quoted above", same_as=unit)
    army_again = SourceFactory(label="the Malian army", same_as=army)
    other_unit = SourceFactory(label="another unit", member_of=army_again)
    loner = SourceFactory(label="an observer")

    rows = listed(analyst_client, "sources")

    for source in (government, army, unit, unit_again, army_again, other_unit):
        assert rows[source.pk]["party"] == government.pk, source.label
    assert rows[loner.pk]["party"] == loner.pk
    assert (rows[unit_again.pk]["same_as"], rows[unit.pk]["member_of"]) == (unit.pk, army.pk)
    assert analyst_client.get(f"/api/v1/sources/{other_unit.pk}/").json()["party"] == government.pk


# Sources: track record --------------------------------------------------------------------------------


@pytest.fixture
def speaker_with_every_outcome(db):
    """A source that supports a claim in each status, and two vetted ones contradicted by one and two parties."""
    source = SourceFactory(label="un officier malien")
    for status in Claim.Status:
        claim_supported_by(source, status=status)
    claim_supported_by(source, contradicted_by=1)  # vetted, contested: open
    claim_supported_by(source, contradicted_by=2)  # vetted, contradicted by two parties: failed
    return source


def test_an_analyst_counts_every_claim_in_a_track_record(analyst_client, speaker_with_every_outcome):
    row = listed(analyst_client, "sources")[speaker_with_every_outcome.pk]

    # stand: vetted; failed: rejected, retracted, vetted and contradicted twice;
    # open: draft, in review, vetted and contested once.
    assert record(row) == (1, 3, 3, None)
    assert row["track_record"]["source"] == speaker_with_every_outcome.pk


def test_a_consumer_counts_only_vetted_claims_in_a_track_record(consumer_client, speaker_with_every_outcome):
    row = listed(consumer_client, "sources")[speaker_with_every_outcome.pk]

    assert record(row) == (1, 1, 1, None)
    detail = consumer_client.get(f"/api/v1/sources/{speaker_with_every_outcome.pk}/").json()
    assert detail["track_record"] == row["track_record"]


def test_no_count_a_consumer_sees_holds_an_unvetted_claim(consumer_client, db):
    speaker = SourceFactory()
    for status in Claim.Status:
        for _ in range(5):
            claim_supported_by(speaker, status=status)
    claim_supported_by(speaker)  # makes the speaker visible to consumers by itself

    row = listed(consumer_client, "sources")[speaker.pk]

    vetted = Claim.objects.vetted().count()
    assert sum(record(row)[:3]) == vetted == 6
    assert record(row) == (6, 0, 0, "B")  # 6 resolved, all standing: a suggestion shows


def test_one_speaker_recorded_twice_shows_one_record_on_both_rows(analyst_client, db):
    officer = SourceFactory(label="un haut gradé malien")
    again = SourceFactory(label="le haut gradé précité", same_as=officer)
    claim_supported_by(officer)
    claim_supported_by(again, status=Claim.Status.REJECTED)

    rows = listed(analyst_client, "sources")

    assert rows[officer.pk]["track_record"] == rows[again.pk]["track_record"]
    assert rows[again.pk]["track_record"] == {
        "source": officer.pk,
        "stand": 1,
        "failed": 1,
        "open": 0,
        "suggested_reliability": None,
    }


def test_a_relay_counts_for_no_one_but_its_origin(analyst_client, db):
    speaker = SourceFactory()
    wire, copy = ReportFactory(), ReportFactory()
    ReportDerivation.objects.create(report=copy, original=wire)
    claim = claim_supported_by(speaker, report=wire)
    AttributionFactory(claim=claim, source=speaker, report=copy)
    services.claims_reweigh([claim.pk])

    assert record(listed(analyst_client, "sources")[speaker.pk]) == (1, 0, 0, None)


def test_the_reliability_analysts_gave_is_unchanged_beside_the_suggestion(consumer_client, db):
    speaker = SourceFactory(reliability="F")
    for _ in range(5):
        claim_supported_by(speaker)

    row = listed(consumer_client, "sources")[speaker.pk]

    assert (row["reliability"], row["track_record"]["suggested_reliability"]) == ("F", "B")


def test_sources_nested_in_claims_keep_their_short_form(consumer_client, db):
    claim_supported_by(SourceFactory())

    [claim] = consumer_client.get("/api/v1/claims/").json()["results"]

    assert not {"party", "track_record"} & set(claim["attributions"][0]["source"])


# Reports: derived_from --------------------------------------------------------------------------------


@pytest.fixture
def derivations(db):
    """A wire story carrying only a draft claim; a copy that relays it and a digest that quotes both,
    each carrying a vetted claim."""
    wire, copy, digest = (ReportFactory(title=title) for title in ("wire", "copy", "digest"))
    AttributionFactory(report=wire, claim=ClaimFactory(status=Claim.Status.DRAFT))
    for report in (copy, digest):
        AttributionFactory(report=report, claim=ClaimFactory(status=VETTED))
    ReportDerivation.objects.create(report=copy, original=wire, kind=ReportDerivation.Kind.RELAYS)
    ReportDerivation.objects.create(report=digest, original=wire, kind=ReportDerivation.Kind.QUOTES)
    ReportDerivation.objects.create(report=digest, original=copy, kind=ReportDerivation.Kind.SUMMARISES)
    return wire, copy, digest


def test_a_report_lists_the_reports_it_derives_from(analyst_client, derivations):
    wire, copy, digest = derivations

    rows = listed(analyst_client, "reports")

    assert rows[digest.pk]["derived_from"] == [
        {"report": wire.pk, "kind": "quotes"},
        {"report": copy.pk, "kind": "summarises"},
    ]
    assert rows[copy.pk]["derived_from"] == [{"report": wire.pk, "kind": "relays"}]
    assert rows[wire.pk]["derived_from"] == []
    assert analyst_client.get(f"/api/v1/reports/{copy.pk}/").json()["derived_from"] == rows[copy.pk]["derived_from"]


def test_a_consumer_sees_only_derivations_to_reports_they_may_read(consumer_client, derivations):
    _, copy, digest = derivations  # the wire carries only a draft claim: the consumer may not read it

    rows = listed(consumer_client, "reports")

    assert set(rows) == {copy.pk, digest.pk}
    assert rows[digest.pk]["derived_from"] == [{"report": copy.pk, "kind": "summarises"}]
    assert rows[copy.pk]["derived_from"] == []
    assert consumer_client.get(f"/api/v1/reports/{copy.pk}/").json()["derived_from"] == []


# The schema -------------------------------------------------------------------------------------------


def test_the_schema_describes_the_new_fields(consumer_client):
    components = yaml.safe_load(consumer_client.get("/api/schema/").content)["components"]["schemas"]

    source = components["SourceWithTrackRecord"]["properties"]
    assert {"party", "track_record", "same_as", "member_of"} <= set(source)
    assert set(components["TrackRecord"]["properties"]) == {
        "source",
        "stand",
        "failed",
        "open",
        "suggested_reliability",
    }
    assert set(components["Derivation"]["properties"]) == {"report", "kind"}
    assert components["Report"]["properties"]["derived_from"]["description"].startswith("The reports it derives from")


# Queries ----------------------------------------------------------------------------------------------


@pytest.fixture
def provenance_rows(db):
    """`count` vetted claims, each supported in its own report by a source recorded twice and belonging to
    a party, the report deriving from the one before; weighed."""

    def make(count: int) -> None:
        party = SourceFactory(label="a government")
        previous = None
        for _ in range(count):
            source = SourceFactory(member_of=party)
            SourceFactory(same_as=source)
            report = ReportFactory()
            if previous is not None:
                ReportDerivation.objects.create(report=report, original=previous)
            claim_supported_by(source, report=report)
            previous = report

    return make


@pytest.mark.parametrize("count", [3, 30])
def test_the_sources_list_runs_6_queries_however_many_sources(
    consumer_client, provenance_rows, count, django_assert_num_queries
):
    provenance_rows(count)
    # 1. token and user; 2-3. permissions; 4. the page (visibility is a subquery);
    # 5. the sources in a same_as/member_of chain; 6. the vetted claims their speakers supported.
    with django_assert_num_queries(6):
        rows = listed(consumer_client, "sources")
    assert len(rows) == count
    assert {row["track_record"]["stand"] for row in rows.values()} == {1}


@pytest.mark.parametrize("count", [3, 30])
def test_a_source_runs_the_same_6_queries(consumer_client, provenance_rows, count, django_assert_num_queries):
    provenance_rows(count)
    source = Claim.objects.first().attributions.get().source
    # the same queries, for one source
    with django_assert_num_queries(6):
        response = consumer_client.get(f"/api/v1/sources/{source.pk}/")
    assert response.json()["party"] == source.member_of_id


@pytest.mark.parametrize("count", [3, 30])
def test_the_reports_list_runs_6_queries_however_many_reports(
    consumer_client, provenance_rows, count, django_assert_num_queries
):
    provenance_rows(count)
    # 1. token and user; 2-3. permissions; 4. the page (visibility is a subquery); 5. the attributions of
    # vetted claims, for their ids; 6. the derivations to reports the consumer may read.
    with django_assert_num_queries(6):
        rows = listed(consumer_client, "reports")
    assert len(rows) == count
    assert sum(len(row["derived_from"]) for row in rows.values()) == count - 1
