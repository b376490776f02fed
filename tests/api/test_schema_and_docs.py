"""The OpenAPI schema describes every field and parameter; the docs page works offline."""

import pytest
import yaml


@pytest.fixture
def schema(consumer_client):
    response = consumer_client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_openapi_3_with_the_four_resources_the_withdrawals_feed_and_annotations(schema):
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/claims/",
        "/api/v1/claims/{id}/",
        "/api/v1/claims/withdrawn/",
        "/api/v1/sources/",
        "/api/v1/sources/{id}/",
        "/api/v1/reports/",
        "/api/v1/reports/{id}/",
        "/api/v1/reports/{id}/annotations/",
        "/api/v1/entities/",
        "/api/v1/entities/{id}/",
    }


def test_every_parameter_is_described(schema):
    undescribed = [
        f"{path} {parameter['name']}"
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        for parameter in operation["parameters"]
        if not parameter.get("description")
    ]
    assert undescribed == []


def test_every_field_is_described(schema):
    undescribed = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, definition in component.get("properties", {}).items()
        if not definition.get("description")
    ]
    assert undescribed == []


def test_claims_ordering_lists_only_cursor_safe_fields(schema):
    [ordering] = [p for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"] if p["name"] == "ordering"]

    assert set(ordering["schema"]["items"]["enum"]) == {"id", "-id", "created", "-created"}
    assert "cursor" in ordering["description"]


def test_lists_document_the_cursor_shape_and_errors(schema):
    responses = schema["paths"]["/api/v1/claims/"]["get"]["responses"]

    page = schema["components"]["schemas"]["PaginatedClaimList"]
    assert {"next", "previous", "results"} <= set(page["properties"])
    assert {"200", "400", "401", "403", "404", "429"} <= set(responses)
    assert set(responses["200"]["content"]) == {
        "application/json",
        "text/csv",
        "application/stix+json",  # ?format=stix
        "application/ld+json",  # ?format=claimreview
    }


def test_docs_page_loads_swagger_ui_from_our_own_static_files(consumer_client, settings):
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}  # no manifest needed, whatever DEBUG is

    response = consumer_client.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    # The start-up script is a request of its own (no inline script, for the Content-Security-Policy).
    assert "<script>" not in page
    script = consumer_client.get("/api/docs/", {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
