"""schema.org ClaimReview out (`?format=claimreview`): Google's properties, checked offline with SHACL."""

import json

import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import SH

from claims import services
from claims.exports.claimreview import NOT_JUDGED
from claims.models import Attribution, Claim
from tests.api.standards import (  # noqa: F401 (demo_once: a fixture)
    CLAIMREVIEW_SHAPES,
    claimreview_graph,
    demo_once,
    shacl_report,
)
from tests.factories import AttributionFactory, ClaimFactory, ReportFactory, SourceFactory

# rdflib 7.6's JSON-LD parser still builds a ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def reviews_of(client, url="/api/v1/claims/", **params) -> dict:
    response = client.get(url, {"format": "claimreview", **params})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/ld+json"
    return json.loads(response.content)


def test_rating_rises_with_the_likelihood_and_keeps_the_term(consumer_client, db):
    for likelihood in Claim.Likelihood.values:
        ClaimFactory(status=Claim.Status.VETTED, likelihood=likelihood, statement=f"Claim judged {likelihood}.")

    graph = reviews_of(consumer_client)["@graph"]

    ratings = {r["claimReviewed"]: r["reviewRating"] for r in graph}
    values = [ratings[f"Claim judged {likelihood}."]["ratingValue"] for likelihood in Claim.Likelihood.values]
    assert values == [1, 2, 3, 4, 5, 6, 7]
    assert ratings["Claim judged roughly_even."]["alternateName"] == "Roughly even chance"
    assert {(r["worstRating"], r["bestRating"]) for r in ratings.values()} == {(1, 7)}


def test_the_claim_reviewed_is_authored_by_its_first_supporting_source_and_appears_in_its_reports(consumer_client, db):
    claim = ClaimFactory(status=Claim.Status.VETTED, likelihood=Claim.Likelihood.LIKELY)
    first, later = ReportFactory(url="https://example.org/first"), ReportFactory()
    speaker = SourceFactory(label="un officier malien")
    AttributionFactory(claim=claim, report=later)
    AttributionFactory(claim=claim, report=first, source=speaker)
    AttributionFactory(claim=claim, report=ReportFactory(), stance=Attribution.Stance.CONTRADICTS)

    item = reviews_of(consumer_client, f"/api/v1/claims/{claim.pk}/")["itemReviewed"]

    assert item["author"] == {"@type": "Person", "name": "un officier malien"}
    assert item["firstAppearance"]["url"] == "https://example.org/first"
    assert [a["headline"] for a in item["appearance"]] == [first.title, later.title]


def test_a_claim_not_judged_says_so_and_lacks_only_the_recommended_rating_numbers(consumer_client, db):
    claim = ClaimFactory(status=Claim.Status.VETTED, likelihood="")
    AttributionFactory(claim=claim)
    services.claims_reweigh([claim.pk])

    document = reviews_of(consumer_client, f"/api/v1/claims/{claim.pk}/")
    conforms, results, _ = validate(claimreview_graph(document), shacl_graph=CLAIMREVIEW_SHAPES)

    assert document["reviewRating"] == {"@type": "Rating", "alternateName": NOT_JUDGED}
    assert not conforms
    severities = set(results.objects(None, SH.resultSeverity))
    paths = {str(path).rsplit("/", 1)[-1] for path in results.objects(None, SH.resultPath)}
    assert severities == {SH.Warning}
    assert paths == {"ratingValue", "bestRating", "worstRating"}


@pytest.mark.usefixtures("demo_once")
class TestTheDemo:
    """Loading the demo is most of a test's time: these tests only read it."""

    def test_the_demo_conforms_to_googles_required_and_recommended_properties(self, consumer_client):
        document = reviews_of(consumer_client, likelihood=list(Claim.Likelihood.values))

        conforms, report = shacl_report(document)

        assert conforms, report
        assert len(document["@graph"]) == Claim.objects.vetted().exclude(likelihood="").count()

    def test_one_claim_is_a_claimreview_document(self, consumer_client):
        claim = Claim.objects.vetted().exclude(likelihood="").first()

        document = reviews_of(consumer_client, f"/api/v1/claims/{claim.pk}/")

        assert document["@type"] == "ClaimReview" and document["claimReviewed"] == claim.statement
        assert document["url"] == f"http://testserver/claims/{claim.pk}/"
        assert shacl_report(document)[0]

    def test_the_shape_catches_a_missing_required_property(self, consumer_client):
        claim = Claim.objects.vetted().exclude(likelihood="").first()
        document = reviews_of(consumer_client, f"/api/v1/claims/{claim.pk}/")
        del document["claimReviewed"]
        document["reviewRating"]["ratingValue"] = 9  # beyond bestRating

        conforms, report = shacl_report(document)

        assert not conforms
        assert "claimReviewed (required)" in report and "at most bestRating" in report

    def test_the_context_comes_from_the_shipped_file_and_nothing_is_fetched(self, consumer_client, monkeypatch):
        import socket
        import urllib.request

        def refuse(*args, **kwargs):
            raise AssertionError("network")

        monkeypatch.setattr(socket.socket, "connect", refuse)
        monkeypatch.setattr(urllib.request, "urlopen", refuse)
        claim = Claim.objects.vetted().exclude(likelihood="").first()

        graph = claimreview_graph(reviews_of(consumer_client, f"/api/v1/claims/{claim.pk}/"))

        schema = rdflib.Namespace("http://schema.org/")
        assert (None, rdflib.RDF.type, schema.ClaimReview) in graph

    def test_a_repeated_pull_is_a_304_with_its_etag_and_the_cached_body_without(self, consumer_client):
        url = f"/api/v1/claims/{Claim.objects.vetted().first().pk}/"
        first = consumer_client.get(url, {"format": "claimreview"})

        assert consumer_client.get(url, {"format": "claimreview"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        assert consumer_client.get(url, {"format": "claimreview"}).content == first.content
