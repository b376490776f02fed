"""Schemathesis fuzzes every operation of our own schema on a live server with the consumer's token.

It asserts no 5xx and that every response (status, content type, body)
matches what the schema documents; 25 examples per operation.

The schema is generated in-process at collection, because tests are made
per operation before any server runs (and schemathesis's `from_fixture`
fails under pytest 9.2: it writes `Node._nodeid`, which pytest renamed).
`test_served_schema_is_the_fuzzed_one` shows it is what /api/schema/ serves.
"""

import json

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from claims import services
from sources.models import Report

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def generated_schema() -> dict:
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


schema = schemathesis.openapi.from_dict(generated_schema())


@pytest.fixture
def consumer_token(consumer):
    return Token.objects.create(user=consumer).key


# Pasted as an analyst would: accents and characters URIs forbid. It is served as a URI (format: uri).
PASTED_URL = "https://www.lemonde.fr/afrique/article/2026/01/29/la-turquie-alliée-présente|{mali}^"


@pytest.fixture
def served_demo(live_server, consumer_token, demo, analyst):
    """The demo on a live server, its article with a pasted non-ASCII address.

    `consumer_token` first: its persona re-creates the role groups `demo` needs.
    """
    article = Report.objects.get(title__startswith="La Turquie")
    article.url = PASTED_URL
    services.report_save(report=article, by=analyst)
    assert Report.objects.get(pk=article.pk).url.isascii()
    return live_server


def test_served_schema_is_the_fuzzed_one(live_server, consumer_token):
    import requests

    response = requests.get(
        f"{live_server.url}/api/schema/?format=json", headers={"Authorization": f"Token {consumer_token}"}, timeout=10
    )

    assert response.json() == generated_schema()


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)  # CI replays
def test_api_conforms_to_its_schema_under_fuzzing(case, served_demo, consumer_token):
    case.call_and_validate(
        base_url=served_demo.url, headers={"Authorization": f"Token {consumer_token}"}, checks=CHECKS
    )
