"""The checkers the standards exports are held to, all offline (tests/standards/ holds what they load).

- STIX: OASIS's stix2-validator 3.3.2 (errors, and warnings by check code) and the stix2 library's parser,
  with our `claim` SDO registered so that its properties are checked too;
- ClaimReview: rdflib reads the JSON-LD with schema.org's context from `schemaorgcontext.jsonld` (release
  30.0, never fetched), pyshacl checks it against `claimreview.shacl.ttl`;
- Web Annotation: jsonschema against `web-annotation.schema.json`.

And `demo_once`, the demo loaded once for a class of tests that read it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from unittest import mock

import jsonschema
import pyshacl
import pytest
import rdflib
import stix2
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from stix2.properties import (
    BooleanProperty,
    DictionaryProperty,
    IntegerProperty,
    ReferenceProperty,
    StringProperty,
)
from stix2validator import ValidationOptions, validate_string

from claims import roles
from claims.exports.stix import CLAIM_EXTENSION_ID, PROPERTY_EXTENSION_ID

STANDARDS = Path(__file__).resolve().parent.parent / "standards"
SCHEMA_ORG_CONTEXT = json.loads((STANDARDS / "schemaorgcontext.jsonld").read_text())
CLAIMREVIEW_SHAPES = rdflib.Graph().parse(STANDARDS / "claimreview.shacl.ttl", format="turtle")
WEB_ANNOTATION_SCHEMA = json.loads((STANDARDS / "web-annotation.schema.json").read_text())

# The validator's warnings our bundles may carry, by check code; README ("Standards") says why each is there.
ACCEPTED_STIX_WARNINGS = {
    "103": "uuid-check: our ids are UUIDv5 of the tracker's ids (deterministic, so re-exports update), not v4",
    "202": "relationship-types: contradicts, corroborates and refines between claims are not in STIX's table",
    "302": "extref-hashes: a report's URL carries no hash (we do not download the page to hash it)",
    "401": "extensions-use: x_opencti_reliability, only with ?opencti=1 (OpenCTI reads no extension)",
}


@stix2.CustomObject(
    "claim",
    [
        ("name", StringProperty()),
        ("statement", StringProperty(required=True)),
        ("original_wording", StringProperty()),
        ("kind", StringProperty(required=True)),
        ("about_date", StringProperty()),
        ("about_precision", StringProperty()),
        ("about_text", StringProperty()),
        ("likelihood", StringProperty()),
        ("analytic_confidence", StringProperty()),
        ("review_status", StringProperty(required=True)),
        ("corroboration", DictionaryProperty()),
        ("tracker_id", IntegerProperty(required=True)),
    ],
    extension_name=CLAIM_EXTENSION_ID,
)
class ClaimObject:
    """Our new SDO as the stix2 library checks it."""


def _no_network(*args, **kwargs):
    raise AssertionError(f"the STIX validator tried to fetch {args[:1]}: everything must be checked offline")


def stix_validation(bundle: dict) -> tuple[list[str], list[str]]:
    """(errors, warnings) of OASIS's validator, which may not reach the network."""
    with mock.patch("stix2validator.validator.requests.get", _no_network):
        result = validate_string(json.dumps(bundle), ValidationOptions(version="2.1"))
    return [str(error) for error in result.errors], [str(warning) for warning in result.warnings]


def warning_codes(warnings: list[str]) -> set[str]:
    return {warning.split("{", 1)[1].split("}", 1)[0] for warning in warnings if "{" in warning}


_EVIDENCE_PROPERTIES = {
    "kind affiliation side reliability outlet author body_kind text quote verb mode grade said_on": StringProperty,
    "derivation note": StringProperty,
    "anonymous hedged": BooleanProperty,
    "start end credibility": IntegerProperty,
}


@stix2.v21.CustomExtension(
    PROPERTY_EXTENSION_ID,
    [
        *((name, kind()) for names, kind in _EVIDENCE_PROPERTIES.items() for name in names.split()),
        *(
            (name, ReferenceProperty(valid_types="identity", spec_version="2.1"))
            for name in ("same_as_ref", "member_of_ref")
        ),
        *((name, ReferenceProperty(valid_types="report", spec_version="2.1")) for name in ("report_ref", "via_ref")),
        ("relay_of_ref", ReferenceProperty(valid_types="opinion", spec_version="2.1")),
        ("tracker_id", IntegerProperty(required=True)),
    ],
)
class EvidenceExtension:
    """Our property extension as the stix2 library checks it: every property it may hold, on any object."""

    extension_type = "property-extension"


def parse_stix(bundle: dict, *, allow_custom: bool = False):
    """The bundle as the stix2 library reads it, our extensions registered above (`x_` properties are custom)."""
    return stix2.parse(json.dumps(bundle), allow_custom=allow_custom)


def claimreview_graph(document: dict) -> rdflib.Graph:
    """The ClaimReview JSON-LD as RDF, its `https://schema.org` context replaced by the file's: nothing is fetched."""
    document = copy.deepcopy(document)
    assert document["@context"] == "https://schema.org"
    document["@context"] = SCHEMA_ORG_CONTEXT["@context"]
    return rdflib.Graph().parse(data=json.dumps(document), format="json-ld")


def shacl_report(document: dict) -> tuple[bool, str]:
    """(conforms, report text) of the ClaimReview against our shape; a warning (recommended) fails it too."""
    conforms, _, text = pyshacl.validate(claimreview_graph(document), shacl_graph=CLAIMREVIEW_SHAPES)
    return conforms, text


def web_annotation_errors(collection: dict) -> list[str]:
    validator = jsonschema.Draft202012Validator(WEB_ANNOTATION_SCHEMA)
    return [f"{'/'.join(map(str, error.path))}: {error.message}" for error in validator.iter_errors(collection)]


@pytest.fixture(scope="class")
def demo_once(django_db_setup, django_db_blocker):
    """The demo (as the `demo` fixture loads it), loaded once for a class of tests: loading it is most of each
    test's time. It lives in a transaction rolled back after the class; each test runs in a savepoint inside it
    (pytest-django's `db`), so what one test changes (the round trip empties the database) the next never sees.
    """
    from claims.demo import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        roles.sync_groups(Group, Permission)
        load_demo()
        yield
        transaction.set_rollback(True)
