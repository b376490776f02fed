"""Four eyes: nobody approves work they wrote, however the writing happened."""

import pytest
from django.core.exceptions import PermissionDenied

from claims import services
from claims.models import Claim
from tests.factories import AttributionFactory, ClaimFactory


def edit(claim, by, **changes):
    for name, value in changes.items():
        setattr(claim, name, value)
    claim._history_user = by
    services.claim_save(claim=claim, by=by, version=claim.version)


def fresh(claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def draft(analyst):
    claim = ClaimFactory(created_by=analyst, updated_by=analyst)
    AttributionFactory(claim=claim)
    return claim


def test_a_reviewer_who_reworded_a_claim_cannot_vet_it_after_the_author_edits_it_last(draft, analyst, reviewer):
    edit(draft, reviewer, statement="Worded by the reviewer.")
    edit(draft, analyst, original_wording="The author touches the original wording last.")
    services.claim_transition(claim=draft, action="submit", by=analyst)

    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.claim_transition(claim=fresh(draft), action="vet", by=reviewer)


def test_a_reviewer_who_changed_an_attribution_cannot_vet_the_claim(draft, analyst, reviewer):
    attribution = draft.attributions.get()
    attribution.credibility = 1
    attribution._history_user = reviewer
    attribution.save()
    services.claim_transition(claim=draft, action="submit", by=analyst)

    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.claim_transition(claim=fresh(draft), action="vet", by=reviewer)


def test_a_reviewer_whose_source_regrade_sent_claims_back_cannot_vet_them_again(
    draft, analyst, reviewer, second_reviewer
):
    services.claim_transition(claim=draft, action="submit", by=analyst)
    services.claim_transition(claim=draft, action="vet", by=second_reviewer)
    source = draft.attributions.get().source
    source.reliability = "A"
    source.save()

    services.source_regraded(source=source, by=reviewer, previous_reliability="F")

    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.claim_transition(claim=fresh(draft), action="vet", by=reviewer)
    services.claim_transition(claim=fresh(draft), action="vet", by=second_reviewer)
    assert fresh(draft).status == Claim.Status.VETTED


def test_rejecting_a_claim_is_a_step_not_a_change_so_the_same_reviewer_may_vet_it_later(draft, analyst, reviewer):
    services.claim_transition(claim=draft, action="submit", by=analyst)
    services.claim_transition(claim=fresh(draft), action="reject", by=reviewer, comment="Source unclear.")
    services.claim_transition(claim=fresh(draft), action="reopen", by=analyst)
    edit(fresh(draft), analyst, statement="Reworded by the author after the rejection.")
    services.claim_transition(claim=fresh(draft), action="submit", by=analyst)

    services.claim_transition(claim=fresh(draft), action="vet", by=reviewer)

    assert fresh(draft).status == Claim.Status.VETTED


def test_changes_approved_by_an_earlier_vetting_no_longer_bar_their_author(draft, analyst, reviewer, second_reviewer):
    edit(draft, reviewer, statement="Worded by the first reviewer.")
    services.claim_transition(claim=fresh(draft), action="submit", by=analyst)
    services.claim_transition(claim=fresh(draft), action="vet", by=second_reviewer)
    edit(fresh(draft), analyst, statement="Reworded by the author: back to review.")
    assert fresh(draft).status == Claim.Status.IN_REVIEW

    services.claim_transition(claim=fresh(draft), action="vet", by=reviewer)

    assert fresh(draft).status == Claim.Status.VETTED
