"""/review/: what awaits a reviewer (the four-eyes rule, in SQL) and what an analyst has to rework."""

import pytest
from django.urls import reverse

from claims import queue, services
from claims.models import Claim
from sources.models import Source
from tests.factories import AttributionFactory, ClaimFactory
from tests.helpers import page_text

QUEUE = "/review/"


def edit(claim, by, **changes):
    claim = Claim.objects.get(pk=claim.pk)
    for name, value in changes.items():
        setattr(claim, name, value)
    services.claim_save(claim=claim, by=by, version=claim.version)


def submitted(claim, by):
    services.claim_transition(claim=Claim.objects.get(pk=claim.pk), action="submit", by=by)
    return claim


@pytest.fixture
def scenario(analyst, second_analyst, reviewer, second_reviewer):
    """Claims in review with every kind of authorship the four-eyes rule looks at."""

    def draft(by, statement):
        claim = ClaimFactory(created_by=by, updated_by=by, statement=statement)
        services.claim_save(claim=claim, by=by)
        AttributionFactory(claim=claim)
        return claim

    plain = submitted(draft(analyst, "Drafted by the analyst only."), analyst)
    by_reviewer = submitted(draft(reviewer, "Drafted by the reviewer."), reviewer)
    reworded = draft(analyst, "Reworded by the reviewer.")
    edit(reworded, reviewer, statement="Reworded by the reviewer, then by the author.")
    edit(reworded, analyst, original_wording="Touched last by the author.")
    submitted(reworded, analyst)
    regraded = draft(analyst, "Its source regraded by the reviewer.")
    source = regraded.attributions.get().source
    source.reliability = Source.Reliability.B
    services.source_save(source=source, by=reviewer, version=source.version)
    submitted(regraded, analyst)
    # Vetted once by the reviewer after their edit, then changed by the other analyst: the old edit no longer counts.
    vetted_before = draft(analyst, "Edited by the reviewer before it was vetted.")
    edit(vetted_before, reviewer, statement="Edited by the reviewer, then vetted by the other reviewer.")
    submitted(vetted_before, analyst)
    services.claim_transition(claim=Claim.objects.get(pk=vetted_before.pk), action="vet", by=second_reviewer)
    edit(vetted_before, second_analyst, statement="Changed after vetting: back to review.")
    draft(analyst, "Still a draft.")
    return {
        "plain": plain,
        "by_reviewer": by_reviewer,
        "reworded": reworded,
        "regraded": regraded,
        "vetted_before": vetted_before,
    }


def test_the_queue_is_exactly_what_the_four_eyes_rule_lets_each_reviewer_vet(
    scenario, reviewer, second_reviewer, analyst
):
    in_review = Claim.objects.in_review()
    assert in_review.count() == 5

    for user in (reviewer, second_reviewer):
        expected = {claim.pk for claim in in_review if claim.transition_refusal("vet", user) is None}
        assert set(queue.awaiting_review_by(user).values_list("pk", flat=True)) == expected
    assert set(queue.awaiting_review_by(reviewer).values_list("pk", flat=True)) == {
        scenario["plain"].pk,
        scenario["vetted_before"].pk,
    }
    assert not queue.awaiting_review_by(analyst).exists(), "analysts do not vet"


def test_the_longest_waiting_claim_comes_first(analyst, reviewer):
    first, second = ClaimFactory(created_by=analyst), ClaimFactory(created_by=analyst)
    submitted(second, analyst)
    submitted(first, analyst)

    assert list(queue.awaiting_review_by(reviewer).values_list("pk", flat=True)) == [second.pk, first.pk]


def test_an_analyst_sees_their_drafts_and_rejections_with_the_reason(client, analyst, second_analyst, reviewer):
    mine = ClaimFactory(created_by=analyst, statement="My draft about Kati.")
    rejected = submitted(ClaimFactory(created_by=analyst, statement="My claim the reviewer refused."), analyst)
    services.claim_transition(
        claim=Claim.objects.get(pk=rejected.pk), action="reject", by=reviewer, comment="No second origin."
    )
    ClaimFactory(created_by=second_analyst, statement="Someone else's draft.")
    client.force_login(analyst)

    text = page_text(client.get(QUEUE))

    assert mine.statement in text and rejected.statement in text and "No second origin." in text
    assert "Someone else's draft." not in text
    assert "Awaiting your review" not in text, "an analyst has no vetting queue"


def test_a_reviewer_sees_what_awaits_them_and_not_their_own_claims(client, scenario, reviewer):
    client.force_login(reviewer)

    text = page_text(client.get(QUEUE))

    assert scenario["plain"].statement in text
    assert scenario["by_reviewer"].statement not in text.split("Your drafts")[0]


@pytest.mark.parametrize("count", [1, 30])
def test_the_queue_runs_the_same_queries_whatever_its_length(
    client, analyst, reviewer, count, django_assert_max_num_queries
):
    for n in range(count):
        submitted(ClaimFactory(created_by=analyst, statement=f"Claim {n} in review."), analyst)
        ClaimFactory(created_by=reviewer, statement=f"Draft {n} of the reviewer.")
    client.force_login(reviewer)

    with django_assert_max_num_queries(8):
        response = client.get(QUEUE)

    assert response.context["paginator"].count == count
    assert response.context["rework_count"] == count


def test_the_queue_is_for_analysts_and_reviewers(client, consumer):
    assert client.get(QUEUE)["Location"].startswith(reverse("login"))
    client.force_login(consumer)
    assert client.get(QUEUE).status_code == 403


def test_the_menu_count_says_how_many_claims_await_the_reviewer(client, analyst, reviewer):
    for n in range(3):
        submitted(ClaimFactory(created_by=analyst, statement=f"Claim {n} in review."), analyst)
    ClaimFactory(created_by=reviewer)
    client.force_login(reviewer)

    assert client.get("/review/count/").json() == {"awaiting": 3, "rework": 1}
    page = client.get("/claims/").content.decode()
    assert 'data-review-count-url="/review/count/"' in page and "js/menu.js" in page


def test_the_menu_count_is_for_analysts_and_reviewers(client, consumer):
    client.force_login(consumer)
    assert client.get("/review/count/").status_code == 403
