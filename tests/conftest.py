"""Personas and shared fixtures.

The role groups come from a data migration; transactional tests (the live
server ones) flush them, so the persona fixtures re-sync them first.
"""

import pytest
from django.contrib.auth.models import Group, Permission

from claims import roles
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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

    load_demo()
