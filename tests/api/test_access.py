"""Who may call what: anonymous, outsider, consumer, analyst, reviewer × every endpoint and format."""

import pytest

ENDPOINTS = {
    "claims list": "/api/v1/claims/",
    "claims list csv": "/api/v1/claims/?format=csv",
    "claim detail": "/api/v1/claims/{vetted}/",
    "claim detail csv": "/api/v1/claims/{vetted}/?format=csv",
    "sources list": "/api/v1/sources/",
    "source detail": "/api/v1/sources/{source}/",
    "reports list": "/api/v1/reports/",
    "report detail": "/api/v1/reports/{report}/",
    "entities list": "/api/v1/entities/",
    "entity detail": "/api/v1/entities/{entity}/",
    "withdrawn claims": "/api/v1/claims/withdrawn/?since=2020-01-01T00:00:00Z",
    "schema": "/api/schema/",
    "docs": "/api/docs/",
}
EXPECTED = {"anonymous": 401, "outsider": 403, "consumer": 200, "analyst": 200, "reviewer": 200}
# A browser without a session is sent from the docs page to the login page (see below); the rest answers 401.
EXCEPTIONS = {("anonymous", "docs"): 302}


@pytest.fixture
def urls(world):
    vetted = world.vetted
    attribution = vetted.attributions.get()
    ids = {
        "vetted": vetted.pk,
        "source": attribution.source_id,
        "report": attribution.report_id,
        "entity": vetted.entities.get().pk,
    }
    return {name: url.format(**ids) for name, url in ENDPOINTS.items()}


@pytest.mark.parametrize("auth", ["token", "session"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("persona", EXPECTED)
def test_only_api_users_get_any_endpoint(request, client_for, urls, persona, endpoint, auth):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    response = client_for(user, session=auth == "session").get(urls[endpoint])

    assert response.status_code == EXCEPTIONS.get((persona, endpoint), EXPECTED[persona]), response.content[:300]


def test_anonymous_visitors_of_the_docs_are_sent_to_log_in_and_back(client_for, world):
    response = client_for(None).get("/api/docs/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/api/docs/"


def test_a_bad_token_on_the_docs_is_still_refused_not_redirected(client, world):
    response = client.get("/api/docs/", HTTP_AUTHORIZATION="Token not-a-real-token")

    assert response.status_code == 401


def test_anonymous_is_told_how_to_authenticate(client_for, world):
    response = client_for(None).get("/api/v1/claims/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_outsider_is_told_why_not(client_for, outsider, world):
    response = client_for(outsider).get("/api/v1/claims/")

    assert response.status_code == 403
    assert "api-consumers" in response.json()["detail"]


def test_an_unknown_token_is_refused(client, world):
    response = client.get("/api/v1/claims/", HTTP_AUTHORIZATION="Token not-a-real-token")

    assert response.status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only_even_for_reviewers(client_for, reviewer, world, method):
    response = getattr(client_for(reviewer), method)(f"/api/v1/claims/{world.vetted.pk}/", {}, format="json")

    assert response.status_code == 405


def test_requests_are_throttled_per_user(client_for, consumer, world, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute"})
    client = client_for(consumer)

    statuses = [client.get("/api/v1/claims/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
