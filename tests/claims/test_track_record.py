"""A source's track record: what came of the claims it supported as an independent origin, per speaker,
on the sources page, a source's page and the admin; a suggested reliability from 5 resolved claims on.
The API's view of it (what a consumer may count) is in tests/api/test_provenance_api.py."""

import re

import pytest
from django.urls import reverse

from claims import reads, services
from claims.models import Attribution, Claim
from claims.reads import TrackRecord
from sources.models import Reliability, ReportDerivation, Source
from tests.factories import AttributionFactory, ClaimFactory, ReportFactory, SourceFactory
from tests.helpers import change_url, logged_in, page_text

VETTED, REJECTED, RETRACTED = Claim.Status.VETTED, Claim.Status.REJECTED, Claim.Status.RETRACTED
CONTRADICTS = Attribution.Stance.CONTRADICTS


def weighed(*claims: Claim) -> None:
    """Store each claim's weight, as the evidence services do after every change (factories skip them)."""
    services.claims_reweigh(claim.pk for claim in claims)


def claim_supported_by(source: Source, *, status=VETTED, contradicted_by: int = 0, **attribution) -> Claim:
    """A claim in `status` that `source` supports, contradicted by `contradicted_by` distinct parties; weighed."""
    claim = ClaimFactory(status=status)
    AttributionFactory(claim=claim, source=source, **attribution)
    for _ in range(contradicted_by):
        AttributionFactory(claim=claim, stance=CONTRADICTS)
    weighed(claim)
    return claim


def record_of(source: Source, claims=None) -> TrackRecord:
    claims = Claim.objects.all() if claims is None else claims
    return reads.sources_with_track_records(Source.objects.all(), claims).get(pk=source.pk).track_record


# What counts ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_claims_stand_fail_or_stay_open_by_their_status_and_weight():
    source = SourceFactory()
    claim_supported_by(source)  # vetted, single source: suggested 2 → stands
    second_party = claim_supported_by(source)
    AttributionFactory(claim=second_party)  # vetted, two parties: suggested 1 → stands
    weighed(second_party)
    claim_supported_by(source, status=REJECTED)  # failed
    claim_supported_by(source, status=RETRACTED)  # failed
    claim_supported_by(source, contradicted_by=2)  # vetted but contradicted by two parties: failed
    claim_supported_by(source, status=Claim.Status.DRAFT, contradicted_by=2)  # not vetted, still failed
    claim_supported_by(source, contradicted_by=1)  # vetted, contested (suggested 3): open
    claim_supported_by(source, status=Claim.Status.DRAFT)  # open
    claim_supported_by(source, status=Claim.Status.IN_REVIEW)  # open

    record = record_of(source)

    assert (record.stand, record.failed, record.open) == (2, 4, 3)
    assert Claim.objects.get(pk=second_party.pk).suggested_credibility == 1


@pytest.mark.django_db
def test_contradicting_a_claim_is_not_part_of_the_record():
    source = SourceFactory()
    claim = ClaimFactory(status=VETTED)
    AttributionFactory(claim=claim, stance=CONTRADICTS, source=source)
    weighed(claim)

    record = record_of(source)

    assert (record.stand, record.failed, record.open) == (0, 0, 0)


@pytest.mark.django_db
def test_a_relay_does_not_count_for_the_outlet_that_repeats_it():
    """Le Figaro, in its own voice, republishes what Le Monde reported in its own: one origin, Le Monde's."""
    le_monde = SourceFactory(label="Le Monde", kind=Source.Kind.OUTLET, anonymous=False)
    le_figaro = SourceFactory(label="Le Figaro", kind=Source.Kind.OUTLET, anonymous=False)
    original, relay = ReportFactory(outlet="Le Monde"), ReportFactory(outlet="Le Figaro")
    ReportDerivation.objects.create(report=relay, original=original)
    claim = ClaimFactory(status=VETTED)
    voice = {"mode": Attribution.Mode.OUTLET_VOICE}
    AttributionFactory(claim=claim, source=le_monde, report=original, **voice)
    repeated = AttributionFactory(claim=claim, source=le_figaro, report=relay, **voice)
    weighed(claim)

    assert Attribution.objects.get(pk=repeated.pk).relay_of_id is not None
    assert record_of(le_monde).stand == 1
    assert record_of(le_figaro).supported == 0


@pytest.mark.django_db
def test_a_claim_counts_once_however_often_its_speaker_is_repeated():
    source = SourceFactory()
    wire, copy = ReportFactory(), ReportFactory()
    ReportDerivation.objects.create(report=copy, original=wire)
    claim = claim_supported_by(source, report=wire)
    AttributionFactory(claim=claim, source=source, report=copy)  # a relay
    AttributionFactory(claim=claim, source=source, quote="Ils sont très discrets")  # the same speaker again
    weighed(claim)

    assert record_of(source).stand == 1


@pytest.mark.django_db
def test_one_speaker_recorded_twice_has_one_record_shown_on_both_rows():
    officer = SourceFactory(label="un haut gradé malien")
    again = SourceFactory(label="le haut gradé précité", same_as=officer)
    claim_supported_by(officer)
    claim_supported_by(again, status=REJECTED)
    both = claim_supported_by(officer)
    AttributionFactory(claim=both, source=again, quote="Ils sont très discrets")  # one origin: counted once
    weighed(both)

    rows = {source.pk: source.track_record for source in reads.sources_for_sources_page(Source.objects.all())}

    assert rows[officer.pk] == rows[again.pk] == TrackRecord(officer.pk, officer.label, stand=2, failed=1)


@pytest.mark.django_db
def test_only_the_claims_given_count():
    source = SourceFactory()
    claim_supported_by(source)
    claim_supported_by(source, status=REJECTED)
    claim_supported_by(source, status=Claim.Status.DRAFT)

    record = record_of(source, Claim.objects.vetted())

    assert (record.stand, record.failed, record.open) == (1, 0, 0)


@pytest.mark.django_db
def test_the_record_never_changes_the_reliability_analysts_gave(reviewer_client):
    source = SourceFactory(reliability=Reliability.F)
    for _ in range(5):
        claim_supported_by(source)

    response = reviewer_client.get(reverse("source_detail", args=[source.pk]))

    assert response.context["source"].track_record.suggested_reliability == Reliability.B
    source.refresh_from_db()
    assert source.reliability == Reliability.F


# The suggested reliability ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stand", "failed", "suggested"),
    [
        (4, 0, None),  # 4 resolved: not enough
        (0, 4, None),
        (5, 0, Reliability.B),
        (9, 1, Reliability.B),  # 90 % standing
        (4, 1, Reliability.C),  # 80 %
        (7, 3, Reliability.C),  # 70 %
        (3, 2, Reliability.D),  # 60 %
        (1, 1, None),
        (5, 5, Reliability.D),  # 50 %
        (2, 3, Reliability.E),
        (0, 5, Reliability.E),
    ],
)
def test_a_reliability_is_suggested_only_from_5_resolved_claims_and_never_a(stand, failed, suggested):
    record = TrackRecord(1, "une source", stand=stand, failed=failed, open=20)

    assert record.suggested_reliability == suggested


# Where it shows ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sources_page_shows_stand_failed_and_open_not_supports_and_contradicts(reviewer_client):
    source = SourceFactory(label="un officier malien")
    claim_supported_by(source)
    claim_supported_by(source, status=RETRACTED)
    claim_supported_by(source, status=Claim.Status.DRAFT)

    response = reviewer_client.get(reverse("source_list"))

    page = page_text(response)
    assert re.search(r'<td class="num"[^>]*>1</td>\s*<td class="num contradicted"[^>]*>1</td>', page)
    assert "Stand" in page and "Failed" in page and "Open" in page
    assert "Supports" not in page and "Contradicts" not in page
    assert "suggested B" not in page  # 1 resolved of the 5 a suggestion needs


@pytest.mark.django_db
def test_the_sources_page_shows_a_suggestion_beside_the_grade_from_5_resolved_claims(reviewer_client):
    source = SourceFactory(reliability=Reliability.F)
    for _ in range(4):
        claim_supported_by(source)
    claim_supported_by(source, status=REJECTED)

    page = page_text(reviewer_client.get(reverse("source_list")))

    assert "suggested C" in page
    assert "suggested, never applied" in page


@pytest.mark.django_db
def test_the_sources_page_names_the_speaker_whose_record_a_second_recording_shows(reviewer_client):
    officer = SourceFactory(label="un haut gradé malien")
    SourceFactory(label="le haut gradé précité", same_as=officer)

    page = page_text(reviewer_client.get(reverse("source_list")))

    assert f'Same speaker as <a href="{reverse("source_detail", args=[officer.pk])}">un haut gradé malien</a>' in page


@pytest.mark.django_db
def test_a_source_page_states_its_record_and_no_suggestion_before_5_resolved(reviewer_client):
    source = SourceFactory()
    claim_supported_by(source)
    claim_supported_by(source, contradicted_by=2)
    claim_supported_by(source, status=Claim.Status.IN_REVIEW)

    page = page_text(reviewer_client.get(reverse("source_detail", args=[source.pk])))

    assert "Of the 3 claims it supported as an independent origin" in page
    assert "<strong>1</strong> stand" in page
    assert "<strong>1</strong> failed" in page
    assert "<strong>1</strong> open" in page
    assert "None yet: a suggestion needs 5 claims that stand or failed; 2 so far." in page
    assert "supports 3 claim" not in page


@pytest.mark.django_db
def test_a_source_page_shows_the_suggestion_as_never_applied(reviewer_client):
    source = SourceFactory(reliability=Reliability.F)
    for _ in range(3):
        claim_supported_by(source)
    for _ in range(2):
        claim_supported_by(source, status=REJECTED)

    page = page_text(reviewer_client.get(reverse("source_detail", args=[source.pk])))

    assert "D · not usually reliable, from 3 of 5 resolved claims standing" in page
    assert "Suggested, never applied" in page


@pytest.mark.django_db
def test_the_admin_lists_the_record_and_its_suggestion_and_shows_them_on_the_change_page(analyst):
    source = SourceFactory(label="un officier malien")
    for _ in range(5):
        claim_supported_by(source)
    claim_supported_by(source, status=Claim.Status.DRAFT)
    client = logged_in(analyst)

    listed = client.get(reverse("admin:sources_source_changelist")).content.decode()
    change = page_text(client.get(change_url(source)))

    assert '<td class="field-supported_claims">5 stand · 0 failed · 1 open</td>' in listed
    assert '<td class="field-suggested_reliability">B</td>' in listed
    assert "claims supported" not in listed and "claims contradicted" not in listed
    assert "5 stand, 0 failed, 1 open" in change
    assert "Suggests B · usually reliable (suggested, never applied)" in change


# Queries ----------------------------------------------------------------------------------------------
# Every request by a signed-in user starts with 2 queries: the session and the user; `visible_to` then
# loads the user's and the groups' permissions (2 queries). A track record costs 2 queries per page,
# whatever its rows: the sources in a same_as/member_of chain, then the claims its speakers supported.


@pytest.fixture
def recorded_evidence(make_evidence):
    """`make_evidence`'s claims weighed, with every contradicting source recorded a second time."""

    def make(count: int):
        evidence = make_evidence(count)
        for claim in evidence.claims:
            contradicting = claim.attributions.get(stance=CONTRADICTS).source
            SourceFactory(label=f"{contradicting.label} again", same_as=contradicting)
        weighed(*evidence.claims)
        return evidence

    return make


@pytest.mark.parametrize("count", [3, 30])
def test_the_sources_page_runs_9_queries_whatever_the_number_of_sources(
    reviewer_client, recorded_evidence, count, django_assert_max_num_queries
):
    evidence = recorded_evidence(count)
    # session, user, user permissions, group permissions, the sources by kind, the sources in chains,
    # the claims their speakers supported, one attribution per (source, report) with its report, the count
    # of sources for the pages
    with django_assert_max_num_queries(9):
        response = reviewer_client.get(reverse("source_list"))
    shown = {source.pk: source for source in response.context["sources"]}
    assert len(shown) == 2 * count + 1
    assert shown[evidence.source.pk].track_record.open == count  # each claim is contradicted: open
    for again in (source for source in shown.values() if source.same_as_id):
        assert again.track_record == shown[again.same_as_id].track_record


@pytest.mark.parametrize("count", [3, 30])
def test_a_source_page_runs_9_queries_whatever_its_claims(
    reviewer_client, recorded_evidence, count, django_assert_max_num_queries
):
    source = recorded_evidence(count).source
    # session, user, user permissions, group permissions, the source, the sources in chains, the claims
    # its speaker supported, the count of its attributions for the pages, a page of them in time order with
    # claim, report and source
    with django_assert_max_num_queries(9):
        response = reviewer_client.get(reverse("source_detail", args=[source.pk]))
    assert response.context["source"].track_record.open == count


@pytest.mark.parametrize("rows", [1, 30])
def test_the_admin_source_changelist_runs_10_queries_whatever_the_number_of_sources(
    analyst, recorded_evidence, rows, django_assert_max_num_queries
):
    recorded_evidence(rows)
    client = logged_in(analyst)
    # session, user, user and group permissions, the two counts, the page of sources, the sources in
    # chains, the claims their speakers supported, the sides offered by the "side / region" filter
    with django_assert_max_num_queries(10):
        response = client.get(reverse("admin:sources_source_changelist"))
    assert response.context["cl"].result_count == 2 * rows + 1
