"""The claims' hot path (issue 14): the same bytes as DRF's serializers, the same schema, and ETags derived
from the data, so that a 304 is answered after one query and changes whenever what the page shows does.

"The reference" is the code path the API had before: DRF's `ClaimSerializer` over `for_api()`, rendered by
DRF's JSON renderer (or the CSV renderer) with a body-hash ETag. `ClaimViewSet` still takes it for formats
outside `PLAIN_FORMATS`, so a test turns the hot path off to get it.
"""

import datetime

import pytest
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer

from claims import services
from claims.api import views
from claims.api.filtersets import ClaimApiFilterSet
from claims.api.renderers import PlainData, PlainJsonRenderer
from claims.filtersets import ClaimFilterSet
from claims.models import Attribution, Claim, ClaimRelation, RelationKind
from claims.querysets import ClaimQuerySet
from sources.models import Source
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EntityFactory,
    ReportFactory,
    SourceFactory,
)

VETTED = Claim.Status.VETTED


@pytest.fixture
def reference(monkeypatch):
    """`reference(client, url, params)`: the response the API gave before the hot path (see the module)."""

    def get(client, url, params=None, **headers):
        with monkeypatch.context() as patch:
            patch.setattr(views.ClaimViewSet, "PLAIN_FORMATS", frozenset())
            return client.get(url, params or {}, **headers)

    return get


def assert_same_as_reference(client, reference, url, params=None):
    fast, before = client.get(url, params or {}), reference(client, url, params)
    assert (fast.status_code, fast["Content-Type"]) == (before.status_code, before["Content-Type"])
    assert fast.get("Link") == before.get("Link")
    assert fast.content == before.content, url
    return fast


# Byte for byte ---------------------------------------------------------------------------------------------


def test_the_demo_reads_byte_for_byte_as_before(client_for, consumer, analyst, reference, demo):
    """Lists, pages, details, filters and errors, in JSON and CSV, as a consumer and as an analyst (one demo
    load: it takes seconds)."""
    for user, status in ((consumer, {}), (analyst, {"status": list(Claim.Status.values)})):
        client = client_for(user)
        for params in ({"page_size": 200}, {"page_size": 7}, {"format": "csv", "page_size": 200}):
            assert_same_as_reference(client, reference, "/api/v1/claims/", {**status, **params})
        page = client.get("/api/v1/claims/", {**status, "page_size": 7}).json()
        assert_same_as_reference(client, reference, page["next"].removeprefix("http://testserver"))
        for claim in Claim.objects.visible_to(user).order_by("pk")[::4]:
            for params in ({**status}, {**status, "format": "csv"}):
                assert_same_as_reference(client, reference, f"/api/v1/claims/{claim.pk}/", params)

    claim = Claim.objects.vetted().filter(attributions__isnull=False, entities__isnull=False).first()
    attribution = claim.attributions.select_related("source", "report").first()
    since = (claim.updated_at - datetime.timedelta(seconds=1)).isoformat()
    client = client_for(consumer)
    for params in [
        {"source_kind": attribution.source.kind},
        {"reliability": "C", "credibility": "3"},
        {"entity": claim.entities.first().pk},
        {"report": attribution.report_id, "published_after": "2020-01-01"},
        {"updated_since": since, "ordering": "created"},
        {"status": "bogus"},
        {"cursor": "not-a-cursor"},
    ]:
        for format_ in ({}, {"format": "csv"}):
            assert_same_as_reference(client, reference, "/api/v1/claims/", {**params, **format_})


# Text a report may hold: any character PostgreSQL stores (not NUL, not a lone surrogate), with a bias towards
# what JSON and CSV escape or what spreadsheets run.
ODD = st.sampled_from(["\u2028", "\u2029", '"', "\\", "\t", "\n", "\r", "\x1f", "\x7f", "=", "é", "🚁", "\u202e"])
TEXT = st.lists(st.one_of(ODD, st.characters(exclude_categories=("Cs",), exclude_characters="\x00")), max_size=12)
WORDS = TEXT.map("".join)
STATEMENTS = WORDS.filter(lambda text: text.strip())


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    statement=STATEMENTS,
    wording=WORDS,
    label=WORDS.filter(lambda text: text.strip()),
    alias=WORDS,
    about=st.one_of(st.none(), st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31))),
    attributions=st.integers(0, 2),
    related=st.booleans(),
)
def test_generated_claims_read_byte_for_byte_as_before(
    client_for, analyst, consumer, reference, statement, wording, label, alias, about, attributions, related
):
    precision = "" if about is None else "day"
    claim = ClaimFactory(
        status=VETTED, statement=statement, original_wording=wording, about_date=about, about_precision=precision
    )
    if alias.strip():
        claim.entities.add(EntityFactory(aliases=alias, description=wording))
    source = SourceFactory(label=label[:200], description=wording, side=label[:100], same_as=None)
    for _ in range(attributions):
        AttributionFactory(claim=claim, source=source, report=ReportFactory(title=label[:300], author=alias[:200]))
    if related:
        ClaimRelationFactory(from_claim=claim, to_claim=ClaimFactory(status=VETTED, statement=wording or "x"))
        ClaimRelationFactory(from_claim=ClaimFactory(statement=statement), to_claim=claim)  # a draft's: hidden
    services.claims_reweigh([claim.pk])

    for user in (consumer, analyst):
        client = client_for(user)
        for params in ({"page_size": 200}, {"page_size": 200, "format": "csv"}):
            assert_same_as_reference(client, reference, "/api/v1/claims/", params)
            assert_same_as_reference(client, reference, f"/api/v1/claims/{claim.pk}/", params)


def test_orjson_writes_what_drf_writes_for_plain_data():
    data = {"text": "".join(chr(code) for code in range(0x3000)) + "\u2028\u2029🚁", "n": [0, -1, 2**63 - 1]}
    data |= {"flags": [True, False, None], "nested": {"": [{}], "é": "\\\"'"}}

    assert PlainJsonRenderer().render(PlainData(data)) == JSONRenderer().render(data)


# The schema ----------------------------------------------------------------------------------------------


def test_the_schema_is_the_one_drfs_own_path_gives(monkeypatch):
    """The hot path changes nothing the schema says: it is what drf-spectacular generates when the claims use
    DRF's JSON renderer and filters without methods, as before issue 14. (The hot path's `list` and `retrieve`
    carry no docstring, which the schema would take as the operations' description.)"""
    assert views.ClaimViewSet.list.__doc__ is None and views.ClaimViewSet.retrieve.__doc__ is None
    now = SchemaGenerator().get_schema(request=None, public=True)

    monkeypatch.setattr(
        views.ClaimViewSet, "renderer_classes", [JSONRenderer, *views.ClaimViewSet.renderer_classes[1:]]
    )
    for filterset in (ClaimFilterSet, ClaimApiFilterSet):
        for name in ("source_kind", "entity", "report", "published"):
            monkeypatch.setattr(filterset.base_filters[name], "method", None)
    before = SchemaGenerator().get_schema(request=None, public=True)

    assert now == before


# ETags that save work ----------------------------------------------------------------------------------------


@pytest.fixture
def listed(db, analyst):
    """Two vetted claims with evidence, an entity and a relation between them, weighed."""
    first = ClaimFactory(status=VETTED, statement="The first claim.")
    second = ClaimFactory(status=VETTED, statement="The second claim.")
    first.entities.add(EntityFactory(name="Gao"))
    for claim in (first, second):
        AttributionFactory(claim=claim)
    ClaimRelationFactory(from_claim=second, to_claim=first, kind=ClaimRelation.Kind.CORROBORATES)
    services.claims_reweigh([first.pk, second.pk])
    return first


@pytest.mark.parametrize("url", ["/api/v1/claims/", "/api/v1/claims/{pk}/", "/api/v1/claims/?format=csv"])
def test_an_unchanged_page_is_a_304_after_one_query(consumer_client, listed, django_assert_max_num_queries, url):
    url = url.format(pk=listed.pk)
    etag = consumer_client.get(url)["ETag"]

    # 1. the token and its user; 2-3. the user's and groups' permissions; 4. the page's rows and fingerprints.
    with django_assert_max_num_queries(4):
        again = consumer_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again["ETag"] == etag
    assert "private" in again["Cache-Control"] and "Authorization" in again["Vary"]


def _edit_statement(claim, by):
    claim.statement = "A corrected statement."
    services.claim_save(claim=claim, by=by, version=claim.version)


def _add_attribution(claim, by):
    services.attribution_save(attribution=Attribution(claim=claim, **_evidence()), by=by)


def _evidence():
    other = AttributionFactory.build()
    return {"source": SourceFactory(), "report": ReportFactory(), "quote": other.quote, "credibility": 2}


def _remove_attribution(claim, by):
    services.attribution_delete(attribution=claim.attributions.first(), by=by)


def _regrade_source(claim, by):
    source = claim.attributions.first().source
    source.reliability = Source.Reliability.B
    services.source_save(source=source, by=by, version=source.version)


def _regrade_source_in_bulk(claim, by):
    Source.objects.filter(attributions__claim=claim).update(reliability=Source.Reliability.A)


def _rename_entity(claim, by):
    entity = claim.entities.first()
    entity.name = "Gao (Mali)"
    services.entity_save(entity=entity, by=by, version=entity.version)


def _reword_related_claim(claim, by):
    _edit_statement(ClaimRelation.objects.get(to_claim=claim).from_claim, by)


def _now():
    return datetime.datetime.now(datetime.UTC)


def _withdraw(claim, by):
    services.claim_transition(claim=claim, action="retract", by=by, comment="Wrong.")


def _vet_another(claim, by):
    ClaimFactory(status=VETTED, statement="A newly vetted claim.")


CHANGES = [
    _edit_statement,
    _add_attribution,
    _remove_attribution,
    _regrade_source,
    _regrade_source_in_bulk,
    _rename_entity,
    _reword_related_claim,
    _withdraw,
    _vet_another,
]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__.strip("_") for change in CHANGES])
@pytest.mark.parametrize("url", ["/api/v1/claims/", "/api/v1/claims/?format=csv"])
def test_every_change_a_list_shows_gives_it_a_new_etag(analyst_client, listed, reviewer, change, url):
    # The analyst's list of every status: a claim sent back to review by a change stays in it.
    url += ("&" if "?" in url else "?") + "status=vetted&status=in_review&status=retracted"
    first = analyst_client.get(url)

    change(listed, reviewer)

    again = analyst_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert again.content != first.content


@pytest.mark.parametrize("change", [_withdraw, _regrade_source, _edit_statement])
def test_a_claim_leaving_the_consumers_list_changes_its_etag(consumer_client, listed, reviewer, change):
    first = consumer_client.get("/api/v1/claims/")

    change(listed, reviewer)

    again = consumer_client.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert listed.pk not in {claim["id"] for claim in again.json()["results"]}  # withdrawn, or back in review


def test_a_drafts_changes_leave_the_consumers_etag_as_it_was(consumer_client, listed, analyst):
    draft = ClaimFactory(statement="A draft.")
    etag = consumer_client.get("/api/v1/claims/")["ETag"]

    services.relation_save(
        relation=ClaimRelation(from_claim=draft, to_claim=listed, kind=ClaimRelation.Kind.CONTRADICTS), by=analyst
    )
    _edit_statement(draft, analyst)

    assert consumer_client.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_each_role_and_each_format_has_its_own_etag(consumer_client, analyst_client, listed):
    etags = {
        consumer_client.get("/api/v1/claims/")["ETag"],
        analyst_client.get("/api/v1/claims/")["ETag"],
        consumer_client.get("/api/v1/claims/", {"format": "csv"})["ETag"],
        consumer_client.get("/api/v1/claims/", HTTP_ACCEPT="text/csv")["ETag"],
    }
    # The same bytes for both roles (vetted claims only), yet not the same ETag: what each may see differs.
    assert consumer_client.get("/api/v1/claims/").content == analyst_client.get("/api/v1/claims/").content
    assert len(etags) == 4


def test_a_page_etag_follows_its_cursor_links(consumer_client, listed):
    first = consumer_client.get("/api/v1/claims/", {"page_size": 1})

    ClaimFactory(status=VETTED)  # a new claim: page 1 now holds it, and links on

    assert consumer_client.get("/api/v1/claims/", {"page_size": 1}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


# updated_since, both ways -------------------------------------------------------------------------------------


@pytest.mark.parametrize("dense", [False, True], ids=["set of ids", "scan in page order"])
def test_updated_since_finds_the_same_claims_whichever_way_it_reads(
    consumer_client, listed, analyst, monkeypatch, dense
):
    since = _now()
    unrelated = ClaimFactory(status=VETTED)
    source = listed.attributions.first().source
    source.label = "relabelled"
    services.source_save(source=source, by=analyst, version=source.version)  # the label is not substance
    monkeypatch.setattr(ClaimQuerySet, "DENSE_CHANGES", 0 if dense else 10**6)

    response = consumer_client.get("/api/v1/claims/", {"updated_since": since.isoformat()})

    assert {claim["id"] for claim in response.json()["results"]} == {listed.pk, unrelated.pk}


@pytest.mark.parametrize("role", ["consumer", "analyst"])
def test_evidence_compiled_once_reads_what_the_querysets_read_for_any_ids(db, request, role):
    """`api_evidence` compiles its four queries once per page size and reader's scope, then runs them with other
    ids: each later page must read exactly what the querysets themselves read for its ids."""
    user = request.getfixturevalue(role)
    claims = [ClaimFactory(status=VETTED if n % 3 else Claim.Status.IN_REVIEW) for n in range(9)]
    for n, claim in enumerate(claims):
        AttributionFactory(claim=claim, credibility=1 + n % 5)
        claim.entities.add(EntityFactory())
        ClaimRelationFactory(from_claim=claim, to_claim=claims[n - 1], kind=RelationKind.REFINES)
    pages = [[c.pk for c in claims[0:3]], [c.pk for c in claims[3:6]], [c.pk for c in claims[6:9]]]

    for ids in pages:  # the same page size: the first page compiles, the next two reuse it
        evidence = Claim.objects.api_evidence(ids, user)
        for name in ("attributions", "entities", "outgoing", "incoming"):
            assert evidence[name] == list(Claim.objects.all()._api_evidence_query(name, ids, user)), name
    assert len(Claim.objects.api_evidence(pages[0], user)["attributions"]) == 3
