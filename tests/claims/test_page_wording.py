"""Rough edges of the claim and source pages a new user hit (issue 13, defects 8 and 9)."""

import re

import pytest

from claims import services
from claims.models import Attribution, Claim
from tests.factories import AttributionFactory, ClaimFactory, ReportFactory


def html_of(client, url: str) -> str:
    return client.get(url).content.decode()


@pytest.fixture
def claim_in_review(analyst):
    claim = ClaimFactory(created_by=analyst, statement="Turkish drones reached Kati.")
    AttributionFactory(claim=claim, verb="selon", report=ReportFactory(language="fr"))
    services.claim_transition(claim=claim, action="submit", by=analyst)
    return Claim.objects.get(pk=claim.pk)


@pytest.mark.parametrize("action", ["reject", "retract"])
def test_a_withdrawn_claim_says_why_at_the_top_of_its_page(reviewer_client, claim_in_review, reviewer, action):
    if action == "retract":
        services.claim_transition(claim=claim_in_review, action="vet", by=reviewer)
    services.claim_transition(claim=claim_in_review, action=action, by=reviewer, comment="A single relayed origin.")

    html = html_of(reviewer_client, f"/claims/{claim_in_review.pk}/")

    header = html[html.index('<header class="object-header">') : html.index("</header>", html.index("object-header"))]
    assert "A single relayed origin." in header
    assert re.search(r"(Rejected|Retracted)</strong> by rev", header)


def test_a_claim_without_a_reason_shows_no_empty_note(reviewer_client, claim_in_review):
    assert "status-reason" not in html_of(reviewer_client, f"/claims/{claim_in_review.pk}/")


def test_the_reporting_verb_is_quoted_in_the_reports_language_on_claim_and_source_pages(
    reviewer_client, claim_in_review
):
    source_id = claim_in_review.attributions.get().source_id

    for url in (f"/claims/{claim_in_review.pk}/", f"/sources/{source_id}/"):
        html = html_of(reviewer_client, url)
        assert '“<span lang="fr">selon</span>”' in html, url


def test_a_neutral_attribution_is_not_marked_as_support_on_the_source_page(reviewer_client, claim_in_review):
    attribution = claim_in_review.attributions.get()
    Attribution.objects.filter(pk=attribution.pk).update(stance=Attribution.Stance.NEUTRAL)

    html = html_of(reviewer_client, f"/sources/{attribution.source_id}/")

    assert 'stance-neutral">–' in html
