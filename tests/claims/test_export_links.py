"""The reviewers' pages offer the standards downloads: the claim page, the claims list (its current filter) and
the report page, each link one the signed-in reviewer can follow."""

import json
import re
from html import unescape

from claims.models import Claim
from tests.factories import AttributionFactory, ClaimFactory


def export_links(page) -> dict[str, str]:
    html = page.content.decode()
    return {kind: unescape(href) for href, kind in re.findall(r'href="([^"]+)"[^>]*data-export="([a-z]+)"', html)}


def test_the_claim_page_links_its_claim_in_stix_and_claimreview_whatever_its_status(reviewer_client, db):
    claim = AttributionFactory(claim=ClaimFactory(status=Claim.Status.IN_REVIEW)).claim

    links = export_links(reviewer_client.get(f"/claims/{claim.pk}/"))

    bundle = json.loads(reviewer_client.get(links["stix"]).content)
    assert [o["tracker_id"] for o in bundle["objects"] if o["type"] == "claim"] == [claim.pk]
    review = json.loads(reviewer_client.get(links["claimreview"]).content)
    assert review["claimReviewed"] == claim.statement


def test_the_claims_list_links_its_current_filter(reviewer_client, db):
    event = AttributionFactory(claim=ClaimFactory(kind=Claim.Kind.EVENT, status=Claim.Status.DRAFT)).claim
    AttributionFactory(claim=ClaimFactory(kind=Claim.Kind.PREDICTION, status=Claim.Status.VETTED))

    links = export_links(reviewer_client.get("/claims/", {"kind": "event", "page": "1", "ordering": "-updated"}))

    assert "page=" not in links["stix"] and "ordering=" not in links["stix"]
    bundle = json.loads(reviewer_client.get(links["stix"]).content)
    assert [o["tracker_id"] for o in bundle["objects"] if o["type"] == "claim"] == [event.pk]
    graph = json.loads(reviewer_client.get(links["claimreview"]).content)["@graph"]
    assert [r["claimReviewed"] for r in graph] == [event.statement]


def test_the_report_page_links_its_annotations(reviewer_client, db):
    attribution = AttributionFactory()

    links = export_links(reviewer_client.get(f"/reports/{attribution.report_id}/"))

    collection = json.loads(reviewer_client.get(links["annotations"]).content)
    assert collection["type"] == "AnnotationCollection" and collection["total"] == 1
