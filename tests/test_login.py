"""Logging in at /accounts/login/: where each persona lands, `next`, and the lockout page."""

import html

import pytest
from django.urls import reverse

PASSWORD = "test-pass-123"  # UserFactory's


def log_in(client, username, password=PASSWORD, next_url=None):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data, follow=True)


def landed_on(response) -> str:
    return response.redirect_chain[-1][0]


def test_an_api_consumer_lands_on_the_api_docs(client, consumer):
    response = log_in(client, "con")

    assert landed_on(response) == reverse("api-docs")
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["analyst", "reviewer"])
def test_analysts_and_reviewers_land_on_the_overview(client, request, persona):
    user = request.getfixturevalue(persona)

    response = log_in(client, user.username)

    assert landed_on(response) == reverse("overview")
    assert response.status_code == 200


def test_a_user_in_no_role_lands_on_a_403_that_says_the_account_has_no_role(client, outsider):
    response = log_in(client, "nobody")

    assert landed_on(response) == reverse("overview")
    assert response.status_code == 403
    assert "has none of these roles" in html.unescape(response.content.decode())


def test_next_is_still_honoured_after_login(client, analyst):
    response = log_in(client, "ana", next_url=reverse("claim_list"))

    assert landed_on(response) == reverse("claim_list")


def test_next_is_honoured_for_an_api_consumer_too(client, consumer):
    response = log_in(client, "con", next_url=reverse("api-schema"))

    assert landed_on(response) == reverse("api-schema")


def test_an_anonymous_visitor_of_the_api_docs_logs_in_and_comes_back_to_them(client, consumer):
    to_login = client.get(reverse("api-docs"))
    assert to_login.status_code == 302
    assert to_login.url == f"{reverse('login')}?next={reverse('api-docs')}"

    response = log_in(client, "con", next_url=reverse("api-docs"))

    assert landed_on(response) == reverse("api-docs")
    assert response.status_code == 200


# Lockout (django-axes) ---------------------------------------------------------------------------------


def test_too_many_failures_show_our_lockout_page_with_its_duration_and_the_reset_command(client, analyst, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "ana", "guessed-wrong").status_code == 200

    response = log_in(client, "ana", "guessed-wrong")

    assert response.status_code == 429
    page = html.unescape(response.content.decode())
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    assert f"locked for {minutes} minutes from this address" in page
    assert "python manage.py axes_reset_username ana" in page
    assert 'href="/static/css/claimtracker.css"' in page  # our layout, not a bare text page


def test_the_lockout_page_holds_even_for_the_right_password(client, analyst, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "ana", "guessed-wrong")

    response = log_in(client, "ana")

    assert response.status_code == 429
    assert "Account locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


# The icon ------------------------------------------------------------------------------------------------


def test_pages_name_their_icon_and_favicon_ico_leads_to_it(client):
    page = client.get(reverse("login")).content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url == "/static/favicon.svg"
