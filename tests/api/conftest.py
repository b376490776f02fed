"""API clients for the personas, and a world with one claim in each status."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Claim, ClaimRelation
from tests.factories import AttributionFactory, ClaimFactory, ClaimRelationFactory, EntityFactory


@pytest.fixture(autouse=True)
def _fresh_throttle_history():
    """Throttle counts live in the cache, keyed by user id; ids are reused between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_for():
    """`client_for(user)`: an API client authenticated with the user's token (or `session=True`: logged in)."""

    def make(user=None, *, session: bool = False) -> APIClient:
        client = APIClient()
        if user is not None and session:
            client.force_login(user)
        elif user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def consumer_client(client_for, consumer):
    return client_for(consumer)


@pytest.fixture
def analyst_client(client_for, analyst):
    return client_for(analyst)


@pytest.fixture
def world(db):
    """One claim per status, each with an attribution (own source and report) and an entity of its own.

    `world.claims[status]` is that claim; `world.peer` is a second vetted claim
    that corroborates the vetted one. The vetted claim is also related to every
    unvetted claim (outgoing to draft and in review, incoming from rejected and
    retracted), so any leak through relations shows.
    """
    claims = {}
    for status in Claim.Status:
        claim = ClaimFactory(status=status, statement=f"The {status.label.lower()} claim.")
        claim.entities.add(EntityFactory(name=f"Entity of the {status.label.lower()} claim"))
        AttributionFactory(claim=claim)
        claims[status] = claim
    vetted = claims[Claim.Status.VETTED]
    ClaimRelationFactory(from_claim=vetted, to_claim=claims[Claim.Status.DRAFT])
    ClaimRelationFactory(from_claim=vetted, to_claim=claims[Claim.Status.IN_REVIEW])
    ClaimRelationFactory(from_claim=claims[Claim.Status.REJECTED], to_claim=vetted)
    ClaimRelationFactory(from_claim=claims[Claim.Status.RETRACTED], to_claim=vetted)
    peer = ClaimFactory(status=Claim.Status.VETTED, statement="The peer claim.")
    AttributionFactory(claim=peer)
    ClaimRelationFactory(from_claim=peer, to_claim=vetted, kind=ClaimRelation.Kind.CORROBORATES)
    return SimpleNamespace(claims=claims, vetted=vetted, peer=peer)
