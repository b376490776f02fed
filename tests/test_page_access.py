"""Who may open the reviewers' pages: every page, every persona."""

import pytest
from django.urls import reverse

PAGES = {
    "overview": lambda objects: reverse("overview"),
    "claim_list": lambda objects: reverse("claim_list"),
    "claim_detail": lambda objects: reverse("claim_detail", args=[objects.claim.pk]),
    "entity_detail": lambda objects: reverse("entity_detail", args=[objects.entity.pk]),
    "report_detail": lambda objects: reverse("report_detail", args=[objects.report.pk]),
    "source_list": lambda objects: reverse("source_list"),
    "source_detail": lambda objects: reverse("source_detail", args=[objects.source.pk]),
}


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, one_of_each, page):
    url = PAGES[page](one_of_each)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("page", PAGES)
def test_api_consumers_are_refused_every_page(client, consumer, one_of_each, page):
    client.force_login(consumer)

    assert client.get(PAGES[page](one_of_each)).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_users_in_no_role_are_refused_every_page(client, outsider, one_of_each, page):
    client.force_login(outsider)

    assert client.get(PAGES[page](one_of_each)).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_staff_without_a_role_are_refused_every_page(client, outsider, one_of_each, page):
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)

    assert client.get(PAGES[page](one_of_each)).status_code == 403


@pytest.mark.parametrize("persona", ["analyst", "reviewer"])
@pytest.mark.parametrize("page", PAGES)
def test_analysts_and_reviewers_open_every_page(client, request, one_of_each, persona, page):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(PAGES[page](one_of_each)).status_code == 200


# What the navigation and the 403 page offer each persona ---------------------------------------------

NAV_LINKS = {"Overview": "overview", "Claims": "claim_list", "Sources": "source_list", "API docs": "api-docs"}


def nav_links(response) -> set[str]:
    """The labels of the main navigation's links (the brand aside)."""
    nav = response.content.decode().split('<ul class="nav-links">', 1)[1].split("</ul>", 1)[0]
    return {label for label, name in NAV_LINKS.items() if f'href="{reverse(name)}"' in nav and f">{label}<" in nav}


@pytest.mark.parametrize("persona", ["analyst", "reviewer"])
def test_analysts_and_reviewers_see_every_page_and_the_api_docs_in_the_navigation(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert nav_links(client.get(reverse("overview"))) == {"Overview", "Claims", "Sources", "API docs"}


def test_api_consumers_see_only_the_api_docs_in_the_navigation(client, consumer):
    client.force_login(consumer)

    assert nav_links(client.get(reverse("overview"))) == {"API docs"}


def test_users_in_no_role_see_no_links_in_the_navigation(client, outsider):
    client.force_login(outsider)

    assert nav_links(client.get(reverse("overview"))) == set()


def test_anonymous_visitors_see_no_navigation_links(client):
    assert '<ul class="nav-links">' not in client.get(reverse("login")).content.decode()


def test_the_403_page_sends_an_api_consumer_to_the_api_docs(client, consumer):
    client.force_login(consumer)

    response = client.get(reverse("overview"))

    page = response.content.decode()
    assert response.status_code == 403
    assert "is an API account" in page
    assert f'<a href="{reverse("api-docs")}">Open the API docs</a>' in page


def test_the_403_page_tells_a_user_in_no_role_to_ask_for_one(client, outsider):
    client.force_login(outsider)

    page = client.get(reverse("overview")).content.decode()

    assert "has none of these roles" in page
    assert "Open the API docs" not in page
