"""Account pages (issue 13): the API token (defect 5), logging out by GET (4); 403s logged on one line (10)."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

TOKEN_PAGE = "/account/token/"


@pytest.fixture
def consumer_client(client, consumer):
    client.force_login(consumer)
    return client


def test_a_consumer_creates_a_token_sees_it_once_and_it_opens_the_api(consumer_client, consumer, client):
    page = consumer_client.get(TOKEN_PAGE)
    assert page.status_code == 200
    assert "You have no token yet." in page.content.decode()

    created = consumer_client.post(TOKEN_PAGE, {"action": "create"})

    key = Token.objects.get(user=consumer).key
    body = created.content.decode()
    assert key in body
    assert "no-store" in created["Cache-Control"]
    again = consumer_client.get(TOKEN_PAGE).content.decode()
    assert key not in again, "the full key is shown only in the response that created it"
    assert f"…{key[-4:]}" in again
    client.logout()
    assert client.get("/api/v1/claims/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_replacing_a_token_retires_the_old_one(consumer_client, consumer, client):
    old = Token.objects.create(user=consumer).key

    response = consumer_client.post(TOKEN_PAGE, {"action": "replace"})

    new = Token.objects.get(user=consumer).key
    assert new != old and new in response.content.decode()
    client.logout()
    assert client.get("/api/v1/claims/", HTTP_AUTHORIZATION=f"Token {old}").status_code == 401


def test_revoking_a_token_deletes_it(consumer_client, consumer):
    Token.objects.create(user=consumer)

    response = consumer_client.post(TOKEN_PAGE, {"action": "revoke"}, follow=True)

    assert not Token.objects.filter(user=consumer).exists()
    assert "revoked" in response.content.decode()


def test_create_does_not_silently_replace_an_existing_token(consumer_client, consumer):
    key = Token.objects.create(user=consumer).key

    consumer_client.post(TOKEN_PAGE, {"action": "create"})

    assert Token.objects.get(user=consumer).key == key


def test_an_unknown_action_changes_nothing(consumer_client, consumer):
    response = consumer_client.post(TOKEN_PAGE, {"action": "steal"}, follow=True)

    assert not Token.objects.filter(user=consumer).exists()
    assert "Unknown request" in response.content.decode()


def test_a_token_page_needs_a_login_and_a_role_that_may_use_the_api(client, outsider):
    assert client.get(TOKEN_PAGE)["Location"].startswith(reverse("login"))

    client.force_login(outsider)
    refused = client.post(TOKEN_PAGE, {"action": "create"})

    assert refused.status_code == 403
    assert not Token.objects.filter(user=outsider).exists()


def test_analysts_and_reviewers_may_have_a_token_too(client, analyst):
    client.force_login(analyst)

    assert client.post(TOKEN_PAGE, {"action": "create"}).status_code == 200
    assert Token.objects.filter(user=analyst).exists()


def test_the_403_page_of_a_consumer_points_to_the_token_page(consumer_client):
    response = consumer_client.get(reverse("claim_list"))

    assert response.status_code == 403
    assert TOKEN_PAGE in response.content.decode()


def test_get_on_logout_offers_the_button_instead_of_a_405(consumer_client):
    response = consumer_client.get(reverse("logout"))

    assert response.status_code == 200
    body = response.content.decode()
    assert f'action="{reverse("logout")}"' in body and 'method="post"' in body


def test_the_logout_button_logs_out(consumer_client):
    consumer_client.post(reverse("logout"))

    assert consumer_client.get(TOKEN_PAGE)["Location"].startswith(reverse("login"))


def test_an_expected_403_is_logged_on_one_line_without_a_traceback(consumer_client, caplog):
    with caplog.at_level("WARNING", logger="django.request"):
        assert consumer_client.get(reverse("claim_list")).status_code == 403

    (record,) = [record for record in caplog.records if record.name == "django.request"]
    assert record.exc_info is None
    assert "\n" not in record.getMessage()
    assert record.getMessage().startswith("Forbidden (Permission denied): /claims/ (user: con)")


def test_the_api_docs_carry_the_site_menu_and_the_log_out_button(consumer_client):
    response = consumer_client.get(reverse("api-docs"))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in body and f'action="{reverse("logout")}"' in body
    assert reverse("api_token") in body
    assert 'id="swagger-ui"' in body, "Swagger UI still mounts below the menu"
