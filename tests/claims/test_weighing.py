"""Weighing the evidence end to end: the services keep each claim's origins up to date, and the admin,
the pages and the API show them. The rule itself is tested on its own in test_corroboration.py."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import services
from claims.models import Attribution, Claim
from sources.models import ReportDerivation, Source
from tests.factories import ClaimFactory, ReportFactory, SourceFactory

WIRE = "Le ministère affirme que le drone a été abattu près de Tin Zaouatine."


def attribute(claim, report, source, by, **fields):
    return services.attribution_save(
        attribution=Attribution(claim=claim, report=report, source=source, quote=WIRE, **fields), by=by
    )


@pytest.fixture
def wire_story(analyst):
    """Algeria's ministry says it, Reuters reports it, two sites republish Reuters."""
    ministry = SourceFactory(label="Algerian Ministry of National Defence", kind=Source.Kind.ORGANISATION)
    reuters, site_a, site_b = (ReportFactory(body=WIRE, outlet=outlet) for outlet in ("Reuters", "Site A", "Site B"))
    for site in (site_a, site_b):
        services.derivation_save(derivation=ReportDerivation(report=site, original=reuters), by=analyst)
    claim = ClaimFactory()
    attributions = [attribute(claim, report, ministry, analyst) for report in (reuters, site_a, site_b)]
    return claim, ministry, attributions


@pytest.mark.django_db
def test_a_wire_story_republished_twice_is_one_origin_with_two_relays(wire_story):
    claim, _, (original, *relays) = wire_story

    claim.refresh_from_db()
    assert (claim.supporting_origins, claim.supporting_parties, claim.suggested_credibility) == (1, 1, 2)
    [origin] = claim.corroboration["origins"]
    assert origin["relays"] == [relay.pk for relay in relays]
    assert origin["circular"] is True
    assert {a.relay_of_id for a in Attribution.objects.filter(pk__in=[r.pk for r in relays])} == {original.pk}


@pytest.mark.django_db
def test_a_second_party_raises_the_suggestion_to_1_and_a_denial_contests_it(wire_story, analyst):
    claim, _, _ = wire_story
    mali = SourceFactory(label="Government of Mali", kind=Source.Kind.ORGANISATION)
    attribute(claim, ReportFactory(body=WIRE, outlet="ORTM"), mali, analyst)
    claim.refresh_from_db()
    assert (claim.supporting_parties, claim.suggested_credibility) == (2, 1)

    army = SourceFactory(label="FAMa", kind=Source.Kind.ORGANISATION)
    attribute(claim, ReportFactory(body=WIRE), army, analyst, stance=Attribution.Stance.CONTRADICTS)
    claim.refresh_from_db()
    assert (claim.contradicting_parties, claim.suggested_credibility) == (1, 3)


@pytest.mark.django_db
def test_a_speaker_joining_a_party_is_weighed_again(wire_story, analyst):
    claim, ministry, _ = wire_story
    army = SourceFactory(label="FAMa", kind=Source.Kind.ORGANISATION)
    attribute(claim, ReportFactory(body=WIRE, outlet="ORTM"), army, analyst)
    claim.refresh_from_db()
    assert claim.supporting_parties == 2

    army.member_of = ministry  # recorded wrongly, but it shows the regrouping
    services.source_save(source=army, by=analyst)

    claim.refresh_from_db()
    assert (claim.supporting_origins, claim.supporting_parties, claim.suggested_credibility) == (2, 1, 2)


@pytest.mark.django_db
def test_a_derivation_that_closes_a_cycle_is_refused_naming_the_chain(wire_story, analyst):
    _, _, (original, relay, _) = wire_story

    with pytest.raises(ValidationError, match="derive from itself"):
        services.derivation_save(derivation=ReportDerivation(report=original.report, original=relay.report), by=analyst)


@pytest.mark.django_db
def test_a_same_as_cycle_is_refused(analyst):
    first, second = SourceFactory(), SourceFactory()
    second.same_as = first
    services.source_save(source=second, by=analyst)
    first.same_as = second

    with pytest.raises(ValidationError, match="cycle"):
        services.source_save(source=first, by=analyst)


@pytest.mark.django_db
def test_the_api_filters_on_origins_and_shows_the_weight(wire_story, analyst, reviewer, client):
    claim, _, _ = wire_story
    other = ClaimFactory()
    for step, who in (("submit", analyst), ("vet", reviewer)):
        for each in (claim, other):
            services.claim_transition(claim=each, action=step, by=who)
    client.force_login(reviewer)

    def ids(query):
        response = client.get(reverse("claim-list"), query)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids({"single_source": "true"}) == {claim.pk}
    assert ids({"min_supporting_origins": "1"}) == {claim.pk}
    assert ids({"contested": "false"}) == {claim.pk, other.pk}
    weight = client.get(reverse("claim-detail", args=[claim.pk])).json()["corroboration"]
    assert (weight["supporting_origins"], weight["single_source"], weight["suggested_credibility"]) == (1, True, 2)
    assert client.get(reverse("claim-detail", args=[other.pk])).json()["corroboration"]["reason"]


@pytest.mark.django_db
def test_the_claim_page_shows_the_panel_and_calls_out_circular_reporting(wire_story, reviewer, client):
    claim, _, _ = wire_story
    client.force_login(reviewer)

    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()

    assert "Suggested credibility" in page
    assert "circular reporting" in page
    assert "Relay: repeats an earlier report" in page


@pytest.mark.django_db
def test_credibility_1_with_one_supporting_party_is_warned_about(wire_story):
    claim, _, attributions = wire_story
    Attribution.objects.filter(pk=attributions[0].pk).update(credibility=1)

    [warning] = Claim.objects.get(pk=claim.pk).grade_warnings()

    assert "1 supporting party" in warning


@pytest.mark.django_db
def test_the_report_page_marks_a_relayed_passage_and_links_the_original(wire_story, reviewer, client):
    _, _, (original, relay, _) = wire_story
    client.force_login(reviewer)

    page = client.get(reverse("report_detail", args=[relay.report_id])).content.decode()

    assert "Relay, not an independent origin" in page
    assert reverse("report_detail", args=[original.report_id]) + f"#hl-{original.pk}" in page


@pytest.mark.django_db
def test_the_claims_list_and_the_admin_show_origins_and_flag_a_single_source(wire_story, reviewer, client):
    claim, _, _ = wire_story
    other = ClaimFactory(statement="An unrelated claim with no evidence.")
    client.force_login(reviewer)

    listed = client.get(reverse("claim_list")).content.decode()
    admin_rows = client.get(reverse("admin:claims_claim_changelist"), {"weight": "single_source"})

    assert "1 ✓" in listed and "single source" in listed
    assert [row.pk for row in admin_rows.context["cl"].result_list] == [claim.pk]
    assert other.pk not in [row.pk for row in admin_rows.context["cl"].result_list]


@pytest.mark.django_db
def test_the_claim_page_shows_how_the_judgement_moved(analyst, reviewer, client):
    claim = ClaimFactory(likelihood=Claim.Likelihood.LIKELY, confidence=Claim.Confidence.LOW)
    claim.likelihood, claim.confidence = Claim.Likelihood.VERY_LIKELY, Claim.Confidence.MODERATE
    services.claim_save(claim=claim, by=analyst, version=claim.version)
    client.force_login(reviewer)

    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()

    assert "Judgement over time" in page
    assert page.index("Likely (55-80 %), confidence low") < page.index("Very likely (80-95 %), confidence moderate")
