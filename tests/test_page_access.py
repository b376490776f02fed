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
