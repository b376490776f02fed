"""Fixtures shared by the claims tests."""

import pytest

from claims.models import Claim
from tests.factories import AttributionFactory, ClaimFactory


@pytest.fixture
def claim_on_file():
    """A claim with one attribution, as on file before someone opens its change form."""
    claim = ClaimFactory(statement="Turkey delivered six TB2 drones.", confidence=Claim.Confidence.LOW)
    AttributionFactory(claim=claim, credibility=3)
    return claim
