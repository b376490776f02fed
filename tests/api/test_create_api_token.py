"""`python manage.py create_api_token USERNAME` prints a token, for API users only."""

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token


def create_api_token(*args) -> str:
    out = io.StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_it_prints_a_token_that_opens_the_api(consumer, client, world):
    key = create_api_token(consumer.username)

    assert Token.objects.get(user=consumer).key == key
    assert client.get("/api/v1/claims/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_it_prints_the_same_token_twice_and_a_new_one_on_rotate(consumer):
    first = create_api_token(consumer.username)

    assert create_api_token(consumer.username) == first
    rotated = create_api_token(consumer.username, "--rotate")
    assert rotated != first
    assert list(Token.objects.filter(user=consumer).values_list("key", flat=True)) == [rotated]


def test_analysts_and_reviewers_may_have_tokens(analyst, reviewer):
    assert create_api_token(analyst.username)
    assert create_api_token(reviewer.username)


def test_it_refuses_a_user_without_api_access(outsider):
    with pytest.raises(CommandError, match="may not use the API"):
        create_api_token(outsider.username)

    assert not Token.objects.filter(user=outsider).exists()


def test_it_refuses_an_inactive_consumer(consumer):
    consumer.is_active = False
    consumer.save()

    with pytest.raises(CommandError, match="may not use the API"):
        create_api_token(consumer.username)


def test_it_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named"):
        create_api_token("nobody-at-all")


def test_tokens_can_be_managed_in_the_admin(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pass-123-xyz")
    client.force_login(admin)

    assert client.get("/admin/authtoken/tokenproxy/").status_code == 200
