"""Incremental sync: a consumer learns which claims stopped being vetted, and nothing more."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims import services
from tests.factories import ClaimFactory
from tests.helpers import vetted_claim

WITHDRAWN = "/api/v1/claims/withdrawn/"


@pytest.fixture
def since():
    return (timezone.now() - timedelta(minutes=1)).isoformat()


def test_a_retracted_claim_is_listed_for_the_consumer_to_drop(consumer_client, analyst, reviewer, since):
    claim = vetted_claim(analyst, reviewer)
    services.claim_transition(claim=claim, action="retract", by=reviewer, comment="Withdrawn.")

    response = consumer_client.get(WITHDRAWN, {"since": since})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [claim.pk]
    assert set(response.json()[0]) == {"id", "withdrawn_at"}  # nothing of the claim itself


def test_a_vetted_claim_sent_back_to_review_is_listed(consumer_client, analyst, reviewer, since):
    claim = vetted_claim(analyst, reviewer)
    claim.statement = "A reworded statement."
    services.claim_save(claim=claim, by=analyst, version=claim.version)

    response = consumer_client.get(WITHDRAWN, {"since": since})

    assert [row["id"] for row in response.json()] == [claim.pk]


def test_claims_never_vetted_or_vetted_again_are_not_listed(consumer_client, analyst, reviewer, since):
    draft = ClaimFactory(created_by=analyst)
    services.claim_transition(claim=draft, action="submit", by=analyst)
    revetted = vetted_claim(analyst, reviewer)
    revetted.statement = "Reworded, then vetted again."
    services.claim_save(claim=revetted, by=analyst, version=revetted.version)
    services.claim_transition(claim=revetted, action="vet", by=reviewer)

    response = consumer_client.get(WITHDRAWN, {"since": since})

    assert response.json() == []


def test_withdrawals_before_since_are_not_listed(consumer_client, analyst, reviewer):
    claim = vetted_claim(analyst, reviewer)
    services.claim_transition(claim=claim, action="retract", by=reviewer, comment="Withdrawn.")

    later = (timezone.now() + timedelta(seconds=1)).isoformat()
    assert consumer_client.get(WITHDRAWN, {"since": later}).json() == []


@pytest.mark.parametrize("query", [{}, {"since": "yesterday"}, {"since": "2025-13-01T00:00:00Z"}])
def test_a_missing_or_bad_since_gives_400_naming_it(consumer_client, query):
    response = consumer_client.get(WITHDRAWN, query)

    assert response.status_code == 400
    assert "since" in response.json()


def test_the_feed_runs_the_same_queries_for_1_and_20_withdrawals(
    consumer_client, analyst, reviewer, since, django_assert_num_queries
):
    def retract_one():
        claim = vetted_claim(analyst, reviewer)
        services.claim_transition(claim=claim, action="retract", by=reviewer, comment="Withdrawn.")

    retract_one()
    # token + user, user permissions, group permissions, the withdrawals (one grouped query)
    with django_assert_num_queries(4):
        assert len(consumer_client.get(WITHDRAWN, {"since": since}).json()) == 1
    for _ in range(19):
        retract_one()
    with django_assert_num_queries(4):
        assert len(consumer_client.get(WITHDRAWN, {"since": since}).json()) == 20


def test_a_withdrawn_claim_cannot_be_deleted_so_the_feed_keeps_listing_it(consumer_client, analyst, reviewer, since):
    claim = vetted_claim(analyst, reviewer)
    claim.statement = "Reworded: back to review."
    services.claim_save(claim=claim, by=analyst, version=claim.version)
    services.claim_transition(claim=claim, action="reject", by=reviewer, comment="Not substantiated.")

    assert not claim.can_be_deleted
    with pytest.raises(ValidationError):
        services.claim_delete(claim=claim, by=analyst)
    assert [row["id"] for row in consumer_client.get(WITHDRAWN, {"since": since}).json()] == [claim.pk]
