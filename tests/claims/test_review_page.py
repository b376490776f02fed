"""The review box on a claim's page: reviewers vet where they read the evidence."""

import html

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim
from tests.factories import ClaimFactory


@pytest.fixture
def in_review(analyst):
    claim = ClaimFactory(created_by=analyst, updated_by=analyst)
    services.claim_transition(claim=claim, action="submit", by=analyst)
    return claim


def review(client, claim, action, version=None, comment=""):
    return client.post(
        reverse("claim_review", args=[claim.pk]),
        {"action": action, "comment": comment, "loaded_version": version or claim.version},
        follow=True,
    )


def test_a_reviewer_sees_vet_and_reject_on_a_claim_in_review(client, reviewer, in_review):
    client.force_login(reviewer)
    page = client.get(reverse("claim_detail", args=[in_review.pk])).content.decode()

    assert 'value="vet"' in page
    assert 'value="reject"' in page


def test_a_reviewer_vets_from_the_claim_page_with_a_comment(client, reviewer, in_review):
    client.force_login(reviewer)

    response = review(client, in_review, "vet", comment="Two independent sources.")

    assert response.redirect_chain == [(reverse("claim_detail", args=[in_review.pk]), 302)]
    assert f"Claim #{in_review.pk} is now vetted." in html.unescape(response.content.decode())
    in_review.refresh_from_db()
    assert in_review.status == Claim.Status.VETTED
    step = in_review.transitions.last()
    assert (step.by, step.comment) == (reviewer, "Two independent sources.")


def test_a_reviewer_who_drafted_a_claim_is_told_four_eyes_forbid_vetting_it(client, reviewer):
    claim = ClaimFactory(created_by=reviewer, updated_by=reviewer)
    services.claim_transition(claim=claim, action="submit", by=reviewer)
    client.force_login(reviewer)

    page = html.unescape(client.get(reverse("claim_detail", args=[claim.pk])).content.decode())

    assert 'value="vet"' not in page
    assert "Vet: Four eyes" in page


def test_a_vet_refused_by_the_rules_changes_nothing_and_says_why(client, analyst, in_review):
    client.force_login(analyst)

    response = review(client, in_review, "vet")

    assert "permission to vet" in html.unescape(response.content.decode())
    in_review.refresh_from_db()
    assert in_review.status == Claim.Status.IN_REVIEW


def test_a_reviewer_cannot_vet_a_claim_that_changed_since_they_opened_it(client, reviewer, analyst, in_review):
    seen = in_review.version
    in_review.statement = "Changed while the reviewer was reading."
    services.claim_save(claim=in_review, by=analyst, version=seen)
    client.force_login(reviewer)

    response = review(client, in_review, "vet", version=seen)

    assert "Someone else changed" in html.unescape(response.content.decode())
    in_review.refresh_from_db()
    assert in_review.status == Claim.Status.IN_REVIEW


def test_an_unknown_step_is_a_bad_request(client, reviewer, in_review):
    client.force_login(reviewer)

    response = client.post(reverse("claim_review", args=[in_review.pk]), {"action": "publish", "loaded_version": 1})

    assert response.status_code == 400


def test_the_review_url_takes_only_posts(client, reviewer, in_review):
    client.force_login(reviewer)

    assert client.get(reverse("claim_review", args=[in_review.pk])).status_code == 405


def test_a_consumer_cannot_review_from_the_pages(client, consumer, in_review):
    client.force_login(consumer)

    response = client.post(reverse("claim_review", args=[in_review.pk]), {"action": "vet", "loaded_version": 1})

    assert response.status_code == 403
    in_review.refresh_from_db()
    assert in_review.status == Claim.Status.IN_REVIEW


@pytest.mark.parametrize("status, action", [(Claim.Status.IN_REVIEW, "reject"), (Claim.Status.VETTED, "retract")])
def test_rejecting_or_retracting_without_a_reason_is_refused_and_changes_nothing(
    client, analyst, reviewer, in_review, status, action
):
    if status == Claim.Status.VETTED:
        services.claim_transition(claim=in_review, action="vet", by=reviewer)
    client.force_login(reviewer)

    response = review(client, in_review, action, version=Claim.objects.get(pk=in_review.pk).version, comment="  ")

    assert "Give a reason to reject or retract a claim." in html.unescape(response.content.decode())
    assert Claim.objects.get(pk=in_review.pk).status == status


def test_a_reason_given_is_kept_with_the_rejection(client, reviewer, in_review):
    client.force_login(reviewer)

    review(client, in_review, "reject", comment="Single anonymous source, no corroboration.")

    step = in_review.transitions.last()
    assert (step.to_status, step.comment) == (Claim.Status.REJECTED, "Single anonymous source, no corroboration.")
