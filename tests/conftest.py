"""Personas and shared fixtures.

The role groups come from a data migration; transactional tests (the live
server ones) flush them, so the persona fixtures re-sync them first.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.utils import translation

from claims import roles
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A French request through the test client leaves French active in the thread (LocaleMiddleware activates
    a language per request and leaves it): the next test's labels and messages must not depend on it."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a page or an export cached by an earlier test, whose rows were
    rolled back, must not answer for rows that happen to get the same ids and version."""
    cache.clear()


def _member_of(group_name: str, username: str, *, staff: bool):
    roles.sync_groups(Group, Permission)
    user = UserFactory(username=username, is_staff=staff)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def analyst(db):
    return _member_of(roles.ANALYSTS, "ana", staff=True)


@pytest.fixture
def second_analyst(db):
    return _member_of(roles.ANALYSTS, "ana2", staff=True)


@pytest.fixture
def reviewer(db):
    return _member_of(roles.REVIEWERS, "rev", staff=True)


@pytest.fixture
def second_reviewer(db):
    return _member_of(roles.REVIEWERS, "rev2", staff=True)


@pytest.fixture
def consumer(db):
    return _member_of(roles.API_CONSUMERS, "con", staff=False)


@pytest.fixture
def outsider(db):
    """Logged in, but in no role."""
    return UserFactory(username="nobody")


@pytest.fixture
def demo(db):
    """The demo article and follow-ups, loaded as `make run` loads them."""
    from claims.demo import load_demo

    roles.sync_groups(Group, Permission)  # flushed by any transactional (live server) test before
    load_demo()


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):
    """Pages render `{% static %}` without a collectstatic manifest, whatever DEBUG the environment sets."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def make_evidence(analyst, reviewer):
    """A builder of `count` claims with everything the reviewers' pages show, for query-count tests.

    Each claim is about one shared entity, supported in one shared report by
    one busy source, contradicted in a report of its own by a source of its
    own, refines the claim before it, and has been submitted and vetted.
    """
    from claims import services
    from claims.models import Attribution, ClaimRelation
    from sources.models import Source
    from tests.factories import (
        AttributionFactory,
        ClaimFactory,
        ClaimRelationFactory,
        EntityFactory,
        ReportFactory,
        SourceFactory,
    )

    def make(count: int) -> SimpleNamespace:
        report = ReportFactory(body=" ".join(f"Phrase {n} : les drones seraient arrivés." for n in range(count)))
        busy = SourceFactory(label="busy source", kind=Source.Kind.GROUP, reliability=Source.Reliability.C)
        entity = EntityFactory()
        claims = []
        for n in range(count):
            claim = ClaimFactory()
            claim.entities.add(entity, EntityFactory())
            AttributionFactory(claim=claim, source=busy, report=report, quote=f"Phrase {n} : les drones", hedged=True)
            AttributionFactory(
                claim=claim,
                source=SourceFactory(kind=Source.Kind.values[n % len(Source.Kind.values)]),
                stance=Attribution.Stance.CONTRADICTS,
            )
            if claims:
                ClaimRelationFactory(from_claim=claim, to_claim=claims[-1], kind=ClaimRelation.Kind.REFINES)
            services.claim_transition(claim=claim, action="submit", by=analyst)
            services.claim_transition(claim=claim, action="vet", by=reviewer)
            claims.append(claim)
        return SimpleNamespace(report=report, source=busy, entity=entity, claims=claims)

    return make


@pytest.fixture
def one_of_each(db):
    """One object for every reviewers' page: a claim with evidence, an entity, a related claim."""
    from tests.factories import AttributionFactory, ClaimFactory, ClaimRelationFactory, EntityFactory

    attribution = AttributionFactory()
    entity = EntityFactory()
    attribution.claim.entities.add(entity)
    ClaimRelationFactory(from_claim=attribution.claim, to_claim=ClaimFactory())
    return SimpleNamespace(claim=attribution.claim, entity=entity, report=attribution.report, source=attribution.source)
