"""Evidence changes only through its claim: old versions of attributions and relations can be read, not restored."""

import pytest
from django.urls import reverse

from claims.models import Attribution
from tests.factories import AttributionFactory, ClaimRelationFactory


@pytest.fixture
def regraded_attribution(db):
    attribution = AttributionFactory(credibility=3)
    attribution.credibility = 2
    attribution.save()
    return attribution


@pytest.mark.parametrize("persona", ["analyst", "reviewer"])
def test_an_old_version_of_an_attribution_can_be_read_but_not_reverted_to(
    client, request, persona, regraded_attribution
):
    client.force_login(request.getfixturevalue(persona))
    old = regraded_attribution.history.earliest()
    url = reverse("admin:claims_attribution_simple_history", args=[regraded_attribution.pk, old.history_id])

    assert client.get(url).status_code == 200
    response = client.post(url, {"claim": old.claim_id, "quote": old.quote, "credibility": 3, "stance": "supports"})

    assert response.status_code == 403
    assert Attribution.objects.get(pk=regraded_attribution.pk).credibility == 2


def test_a_relation_cannot_be_retargeted_through_its_history(client, reviewer):
    relation = ClaimRelationFactory()
    client.force_login(reviewer)
    url = reverse("admin:claims_claimrelation_simple_history", args=[relation.pk, relation.history.get().history_id])

    response = client.post(url, {"from_claim": relation.from_claim_id, "to_claim": relation.from_claim_id})

    assert response.status_code == 403
    relation.refresh_from_db()
    assert relation.to_claim_id != relation.from_claim_id
