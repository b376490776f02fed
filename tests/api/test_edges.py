"""The edges a hostile consumer or a careless reviewer finds: each one answered cleanly (issue 10)."""

import base64
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import Attribution, Claim, ClaimRelation, Entity
from sources.models import BODY_LIMIT, Report, Source
from tests.adminforms import form_data
from tests.factories import AttributionFactory, ClaimFactory, ReportFactory, SourceFactory
from tests.helpers import logged_in, page_text


def vetted(analyst, reviewer, **fields) -> Claim:
    claim = ClaimFactory(**fields)
    AttributionFactory(claim=claim)
    services.claim_transition(claim=claim, action="submit", by=analyst)
    services.claim_transition(claim=claim, action="vet", by=reviewer)
    return claim


def changed_since(client, moment) -> set[int]:
    response = client.get("/api/v1/claims/", {"updated_since": moment.isoformat(), "page_size": 200})
    assert response.status_code == 200, response.content
    return {claim["id"] for claim in response.json()["results"]}


def a_moment_ago() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(microseconds=1)


# 1-3. Sync: what a consumer may see, and only that, re-sends a claim ----------------------------------


@pytest.mark.django_db
def test_deleting_a_relation_re_sends_both_vetted_ends(consumer_client, analyst, reviewer):
    first, second = vetted(analyst, reviewer), vetted(analyst, reviewer)
    relation = services.relation_save(
        relation=ClaimRelation(from_claim=first, to_claim=second, kind=ClaimRelation.Kind.CORROBORATES), by=analyst
    )
    since = a_moment_ago()

    services.relation_delete(relation=relation, by=analyst)

    assert changed_since(consumer_client, since) == {first.pk, second.pk}
    listed = consumer_client.get(f"/api/v1/claims/{second.pk}/").json()
    assert listed["relations"] == []


@pytest.mark.django_db
def test_renaming_an_entity_re_sends_the_vetted_claims_that_carry_it(consumer_client, analyst, reviewer):
    claim = vetted(analyst, reviewer)
    entity = Entity.objects.create(name="Bamako", kind=Entity.Kind.PLACE)
    claim.entities.add(entity)
    since = a_moment_ago()

    entity.aliases = "Bamakɔ"
    services.entity_save(entity=entity, by=analyst, version=entity.version)

    assert changed_since(consumer_client, since) == {claim.pk}


@pytest.mark.django_db
def test_a_drafts_changes_never_re_send_a_vetted_claim(consumer_client, analyst, reviewer):
    claim = vetted(analyst, reviewer)
    draft = ClaimFactory()
    services.relation_save(
        relation=ClaimRelation(from_claim=draft, to_claim=claim, kind=ClaimRelation.Kind.CONTRADICTS), by=analyst
    )
    since = a_moment_ago()
    etag = consumer_client.get(f"/api/v1/claims/{claim.pk}/")["ETag"]

    draft.statement = "A draft, reworded."
    services.claim_save(claim=draft, by=analyst, version=draft.version)
    services.relation_save(
        relation=ClaimRelation(from_claim=ClaimFactory(), to_claim=claim, kind=ClaimRelation.Kind.REFINES),
        by=analyst,
    )

    assert changed_since(consumer_client, since) == set()
    assert consumer_client.get(f"/api/v1/claims/{claim.pk}/")["ETag"] == etag


# 4. Nobody vets what they have not seen -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_regrade_while_in_review_makes_the_reviewers_vet_stale(analyst, reviewer, second_reviewer):
    claim = ClaimFactory(created_by=analyst)
    attribution = AttributionFactory(claim=claim, source=SourceFactory(reliability=Source.Reliability.B))
    services.claim_transition(claim=claim, action="submit", by=analyst)
    seen = Claim.objects.get(pk=claim.pk).version
    source = Source.objects.get(pk=attribution.source_id)
    source.reliability = Source.Reliability.E
    services.source_save(source=source, by=second_reviewer)

    with pytest.raises(services.StaleClaim):
        services.claim_transition(claim=claim, action="vet", by=reviewer, version=seen)

    refusal = Claim.objects.get(pk=claim.pk).transition_refusal("vet", second_reviewer)
    assert refusal and refusal.startswith("Four eyes")  # the regrader counts as one of its authors


# 5-7. Parameters: bad values are a 4xx naming them, never a 500 or a silent default ------------------


def cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["claims", "sources", "reports", "entities"])
@pytest.mark.parametrize("position", ["p=x", "p=", "p=1.5"])
@pytest.mark.parametrize("ordering", [None, "created"])
def test_a_malformed_cursor_is_a_404_on_every_list(reviewer, client_for, endpoint, position, ordering):
    params = {"cursor": cursor(position)}
    if ordering and endpoint == "claims":
        params["ordering"] = ordering

    response = client_for(reviewer).get(f"/api/v1/{endpoint}/", params)

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "params", "named"),
    [
        ("sources", {"anonymous": "yes"}, "anonymous"),
        ("claims", {"single_source": "maybe"}, "single_source"),
        ("claims", {"page_size": "lots"}, "page_size"),
        ("sources", {"page_size": "0"}, "page_size"),
        ("claims", {"min_supporting_origins": "two"}, "min_supporting_origins"),
    ],
)
def test_a_bad_parameter_value_is_a_400_naming_it(consumer_client, endpoint, params, named):
    response = consumer_client.get(f"/api/v1/{endpoint}/", params)

    assert response.status_code == 400
    assert named in response.json()


@pytest.mark.django_db
def test_a_report_url_with_non_ascii_and_forbidden_characters_is_stored_as_a_uri(analyst):
    report = services.report_save(
        report=Report(
            title="Dépêche",
            outlet="Reuters",
            published="2025-04-02",
            body="Texte.",
            url="https://exemple.fr/dépêche drone|{1}^",
        ),
        by=analyst,
    ).report

    assert Report.objects.get(pk=report.pk).url == "https://exemple.fr/d%C3%A9p%C3%AAche%20drone%7C%7B1%7D%5E"


# 8. Big input: a clear limit, and nothing lost ------------------------------------------------------------


@pytest.mark.django_db
def test_a_report_body_over_the_limit_is_refused_saying_the_limit_and_keeps_the_text(analyst):
    report = ReportFactory()
    client = logged_in(analyst)
    url = reverse("admin:sources_report_change", args=[report.pk])
    data = form_data(client.get(url))
    data["body"] = "x" * (5 * 1024 * 1024)

    response = client.post(url, data)

    assert response.status_code == 200
    assert f"at most {BODY_LIMIT:,}".replace(",", "") in page_text(response).replace(",", "").replace("\u202f", "")
    assert response.context["adminform"].form["body"].value() == data["body"]
    assert Report.objects.get(pk=report.pk).body == report.body


@pytest.mark.django_db
def test_a_statement_and_a_quote_have_limits_that_say_so():
    claim = ClaimFactory.build(statement="s" * 3000)
    attribution = Attribution(quote="q" * 20000)

    with pytest.raises(Exception, match="at most 2000 characters"):
        claim.full_clean()
    with pytest.raises(Exception, match="at most 10000 characters"):
        attribution.clean_fields(exclude=["claim", "source", "report"])


# 9. Production headers ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/admin/login/", "/api/docs/", "/api/v1/claims/"])
def test_every_response_carries_a_content_security_policy_and_a_permissions_policy(client, path):
    response = client.get(path)

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("parameter", ["updated_since", "since"])
def test_a_moment_with_an_offset_postgresql_cannot_store_is_read_in_utc(consumer_client, parameter):
    """ISO 8601 allows offsets up to ±23:59, PostgreSQL up to ±15:59: found by schemathesis as a 500."""
    url = "/api/v1/claims/" if parameter == "updated_since" else "/api/v1/claims/withdrawn/"

    response = consumer_client.get(url, {parameter: "0742-06-03T12:58:10+19:20"})

    assert response.status_code == 200
