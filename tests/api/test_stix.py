"""STIX 2.1 out (`?format=stix`) and in (`import_stix`): valid, deterministic, faithful, and a round trip."""

import io
import json
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.api.exports import stix_material
from claims.exports import stix
from claims.imports.stix import NO_TEXT, BundleRefused, import_bundle, read_bundle
from claims.models import Attribution, Claim, ClaimRelation, ClaimTransition
from sources.models import Report, ReportDerivation, Source
from tests.api.standards import (  # noqa: F401 (demo_once: a fixture)
    ACCEPTED_STIX_WARNINGS,
    demo_once,
    parse_stix,
    stix_validation,
    warning_codes,
)
from tests.factories import AttributionFactory, ClaimFactory, ClaimRelationFactory, ReportFactory, SourceFactory


def stix_of(client, url="/api/v1/claims/", **params) -> dict:
    response = client.get(url, {"format": "stix", **params})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/stix+json;version=2.1"
    return json.loads(response.content)


def by_type(bundle: dict, kind: str) -> list[dict]:
    return [obj for obj in bundle["objects"] if obj["type"] == kind]


def ours(obj: dict) -> dict:
    return obj["extensions"][stix.PROPERTY_EXTENSION_ID]


def assert_valid(bundle: dict, accepted=("103", "202", "302")) -> None:
    errors, warnings = stix_validation(bundle)
    assert errors == []
    assert warning_codes(warnings) <= set(accepted), warnings
    assert set(accepted) <= set(ACCEPTED_STIX_WARNINGS)
    parsed = parse_stix(bundle, allow_custom="401" in accepted)
    assert len(parsed.objects) == len(bundle["objects"])


def empty_the_database() -> None:
    """What `import_stix` expects: no claims, sources or reports (users and roles stay)."""
    ClaimRelation.objects.all().delete()
    Attribution.objects.all().delete()
    ClaimTransition.objects.all().delete()
    Claim.objects.all().delete()
    ReportDerivation.objects.all().delete()
    Source.objects.update(same_as=None, member_of=None)
    Source.objects.all().delete()
    Report.objects.all().delete()


# The demo: every export valid, cached, and a round trip -----------------------------------------------------


@pytest.mark.usefixtures("demo_once")
class TestTheDemo:
    """Loading the demo is most of a test's time: these tests read it (or change it in their own savepoint)."""

    def test_as_the_consumer_gets_it_it_is_valid_stix_checked_offline(self, consumer_client, monkeypatch):
        import socket

        def refuse(*args, **kwargs):
            raise AssertionError("network")

        bundle = stix_of(consumer_client)
        monkeypatch.setattr(socket.socket, "connect", refuse)

        assert_valid(bundle)  # neither the validator nor the parser reaches the network
        assert {obj["type"] for obj in bundle["objects"]} >= {
            "extension-definition",
            "marking-definition",
            "identity",
            "report",
            "claim",
            "opinion",
            "relationship",
        }
        assert {r["relationship_type"] for r in by_type(bundle, "relationship")} >= {"derived-from"}

    def test_every_status_as_an_analyst_asks_is_valid_stix(self, analyst_client):
        bundle = stix_of(analyst_client, status=Claim.Status.values)

        assert_valid(bundle)
        statuses = set(Claim.objects.values_list("status", flat=True))
        assert {c["review_status"] for c in by_type(bundle, "claim")} == statuses

    def test_a_claim_on_its_own_is_valid_stix_with_and_without_opencti(self, consumer_client):
        claim = Claim.objects.vetted().filter(attributions__isnull=False).first()

        bundle = stix_of(consumer_client, f"/api/v1/claims/{claim.pk}/")
        for_opencti = stix_of(consumer_client, f"/api/v1/claims/{claim.pk}/", opencti="1")

        assert_valid(bundle)
        assert_valid(for_opencti, accepted=("103", "202", "302", "401"))
        assert [c["tracker_id"] for c in by_type(bundle, "claim")] == [claim.pk]

    def test_opencti_reliability_is_an_option_whose_only_cost_is_warning_401(self, consumer_client):
        bundle = stix_of(consumer_client, opencti="1")

        assert_valid(bundle, accepted=("103", "202", "302", "401"))
        le_monde = next(i for i in by_type(bundle, "identity") if i["name"] == "Le Monde")
        assert le_monde["x_opencti_reliability"] == "B - Usually reliable"
        assert "x_opencti_reliability" not in json.dumps(stix_of(consumer_client))

    def test_a_repeated_pull_with_its_etag_is_a_304_that_builds_nothing(self, consumer_client):
        first = consumer_client.get("/api/v1/claims/", {"format": "stix"})

        with CaptureQueriesContext(connection) as queries:
            again = consumer_client.get("/api/v1/claims/", {"format": "stix"}, HTTP_IF_NONE_MATCH=first["ETag"])

        assert again.status_code == 304
        # Token, two permission queries (the API's), the data's version; no claim is read.
        assert len(queries) == 4, [q["sql"] for q in queries]

    def test_a_repeated_pull_without_etag_is_served_from_the_cache(self, consumer_client):
        first = consumer_client.get("/api/v1/claims/", {"format": "stix"})

        with CaptureQueriesContext(connection) as queries:
            again = consumer_client.get("/api/v1/claims/", {"format": "stix"})

        assert again.content == first.content and again["ETag"] == first["ETag"]
        assert len(queries) == 4

    def test_round_trip_export_import_into_an_empty_database_export_gives_the_same_bundles(
        self, client_for, reviewer, tmp_path
    ):
        """Two installations exchange claims: a reviewer's export of every status, imported into an empty
        database by the command, exports again as it was, and so does its vetted part."""
        client = client_for(reviewer)
        everything = stix_of(client, status=Claim.Status.values)
        vetted = stix_of(client)
        (tmp_path / "bundle.json").write_text(json.dumps(everything))
        highest = Claim.objects.order_by("-pk").values_list("pk", flat=True).first()
        empty_the_database()

        out = io.StringIO()
        call_command("import_stix", str(tmp_path / "bundle.json"), "--by", reviewer.username, stdout=out)

        assert "0 object(s) skipped" in out.getvalue()
        assert stix_of(client, status=Claim.Status.values) == everything
        assert stix_of(client) == vetted
        # The next claim entered by hand gets an id of its own (the sequences moved past the imported ids).
        entered = services.claim_save(claim=Claim(statement="Entered after the import."), by=reviewer)
        assert entered.pk > highest


def test_the_export_runs_the_same_queries_for_3_and_30_claims(consumer_client, make_evidence):
    """Token, two permission queries, the data's version (`export_etag`); then `stix_material`: claims,
    attributions with their sources, relations either way, reports with their text, derivations. (Reports
    got "via" and the sources at the end of "same speaker" / "speaks for" chains add one each when there are
    any.)"""

    def queries_for(count):
        make_evidence(count)
        with CaptureQueriesContext(connection) as queries:
            assert consumer_client.get("/api/v1/claims/", {"format": "stix"}).status_code == 200
        return len(queries)

    assert queries_for(3) == queries_for(30) == 9


# The mapping ------------------------------------------------------------------------------------------


@pytest.fixture
def graded(db):
    """A vetted claim judged likely, supported (credibility 2) and contradicted (6) in an AMBER report, neutral in
    a CLEAR one, refining a second vetted claim; the AMBER report relays the CLEAR one."""
    clear, amber = ReportFactory(url="https://example.org/a"), ReportFactory(tlp=Report.Tlp.AMBER)
    ReportDerivation.objects.create(report=amber, original=clear, kind=ReportDerivation.Kind.QUOTES)
    claim = ClaimFactory(status=Claim.Status.VETTED, likelihood=Claim.Likelihood.LIKELY, confidence="moderate")
    speaker = SourceFactory(reliability=Source.Reliability.C, kind=Source.Kind.GROUP)
    AttributionFactory(claim=claim, report=amber, source=speaker, credibility=2)
    AttributionFactory(claim=claim, report=amber, stance=Attribution.Stance.CONTRADICTS, credibility=6)
    AttributionFactory(claim=claim, report=clear, stance=Attribution.Stance.NEUTRAL, credibility=5)
    other = ClaimFactory(status=Claim.Status.VETTED)
    AttributionFactory(claim=other, report=clear)
    ClaimRelationFactory(from_claim=claim, to_claim=other, kind=ClaimRelation.Kind.REFINES)
    services.claims_reweigh([claim.pk, other.pk])
    claim.refresh_from_db()
    return claim


def test_a_claim_is_an_sdo_of_our_extension_with_its_likelihood_as_term_and_confidence(consumer_client, graded):
    bundle = stix_of(consumer_client)

    extension = next(o for o in by_type(bundle, "extension-definition") if o["id"] == stix.CLAIM_EXTENSION_ID)
    assert "new-sdo" in extension["extension_types"]
    claim = next(c for c in by_type(bundle, "claim") if c["tracker_id"] == graded.pk)
    assert claim["id"] == f"claim--{uuid.uuid5(stix.NAMESPACE, f'claim:{graded.pk}')}"
    assert (claim["likelihood"], claim["confidence"], claim["analytic_confidence"]) == ("likely", 70, "moderate")
    assert claim["extensions"] == {stix.CLAIM_EXTENSION_ID: {"extension_type": "new-sdo"}}
    assert claim["corroboration"]["suggested_credibility"] == graded.suggested_credibility
    assert claim["corroboration"]["origins"][0]["source_ref"].startswith("identity--")


def test_attributions_are_opinions_by_stance_with_confidence_from_credibility(consumer_client, graded):
    opinions = {ours(o)["credibility"]: o for o in by_type(stix_of(consumer_client), "opinion")}

    assert (opinions[2]["opinion"], opinions[2]["confidence"]) == ("agree", 70)
    assert opinions[6]["opinion"] == "disagree" and "confidence" not in opinions[6]
    assert (opinions[5]["opinion"], opinions[5]["confidence"]) == ("neutral", 10)
    supported = graded.attributions.get(credibility=2)
    assert opinions[2]["created_by_ref"] == stix.source_id(supported.source_id)
    assert opinions[2]["object_refs"] == [stix.claim_id(graded.pk)]
    quoted = ours(opinions[2])
    assert (quoted["quote"], quoted["start"], quoted["end"]) == (supported.quote, supported.start, supported.end)


def test_sources_carry_their_admiralty_reliability_in_our_property_extension(consumer_client, graded):
    source = graded.attributions.get(credibility=2).source
    identity = next(i for i in by_type(stix_of(consumer_client), "identity") if i["id"] == stix.source_id(source.pk))

    assert identity["identity_class"] == "group"
    assert ours(identity)["reliability"] == "C"


def test_reports_relations_and_derivations(consumer_client, graded):
    bundle = stix_of(consumer_client)
    clear, amber = Report.objects.order_by("pk")

    reports = {ours(r)["tracker_id"]: r for r in by_type(bundle, "report")}
    assert reports[clear.pk]["external_references"] == [{"source_name": clear.outlet, "url": clear.url}]
    assert reports[clear.pk]["published"] == f"{clear.published.isoformat()}T00:00:00.000Z"
    assert stix.claim_id(graded.pk) in reports[amber.pk]["object_refs"]
    relationships = {r["relationship_type"]: r for r in by_type(bundle, "relationship")}
    assert relationships["refines"]["source_ref"] == stix.claim_id(graded.pk)
    assert (relationships["derived-from"]["source_ref"], relationships["derived-from"]["target_ref"]) == (
        stix.report_id(amber.pk),
        stix.report_id(clear.pk),
    )


def test_every_object_is_marked_with_tlp_the_strictest_of_the_reports_it_stems_from(consumer_client, graded):
    bundle = stix_of(consumer_client)
    amber, clear = stix.TLP_MARKINGS[Report.Tlp.AMBER], stix.TLP_MARKINGS[Report.Tlp.CLEAR]

    for obj in bundle["objects"]:
        if obj["type"] != "marking-definition" and obj["id"] != stix.TLP_EXTENSION_ID:
            assert len(obj["object_marking_refs"]) == 1, obj["id"]
    marks = {obj["id"]: obj["object_marking_refs"][0] for obj in bundle["objects"] if "object_marking_refs" in obj}
    assert marks[stix.claim_id(graded.pk)] == amber
    assert {r["relationship_type"]: marks[r["id"]] for r in by_type(bundle, "relationship")} == {
        "refines": amber,
        "derived-from": amber,
    }
    on_graded = [o for o in by_type(bundle, "opinion") if o["object_refs"] == [stix.claim_id(graded.pk)]]
    assert {o["opinion"]: marks[o["id"]] for o in on_graded} == {
        "agree": amber,
        "disagree": amber,
        "neutral": clear,
    }
    assert {m["name"] for m in by_type(bundle, "marking-definition")} == {"TLP:CLEAR", "TLP:AMBER"}


def test_tlp_markings_and_derivations_are_valid_stix_in_the_list_and_alone_with_opencti(consumer_client, graded):
    assert_valid(stix_of(consumer_client))
    assert_valid(
        stix_of(consumer_client, f"/api/v1/claims/{graded.pk}/", opencti="1"), accepted=list(ACCEPTED_STIX_WARNINGS)
    )


def test_exporting_twice_gives_the_same_bundle_and_a_change_gives_new_versions(consumer_client, graded):
    first = stix_of(consumer_client)

    assert stix_of(consumer_client) == first
    graded.refresh_from_db()
    graded.statement = "A restated claim."
    services.claim_save(claim=graded, by=None)  # back to review: out of the consumer's bundle
    assert stix.claim_id(graded.pk) not in {c["id"] for c in by_type(stix_of(consumer_client), "claim")}


def test_any_change_gives_a_new_etag(consumer_client, analyst, graded):
    etag = consumer_client.get("/api/v1/claims/", {"format": "stix"})["ETag"]
    source = Source.objects.get(pk=graded.attributions.get(credibility=2).source_id)
    source.label = "relabelled"
    services.source_save(source=source, by=analyst)

    again = consumer_client.get("/api/v1/claims/", {"format": "stix"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert "relabelled" in again.content.decode()


# Report texts: for those who may read reports, never for API consumers --------------------------------------


def report_texts(bundle: dict) -> list[str]:
    return [ours(report)["text"] for report in by_type(bundle, "report") if "text" in ours(report)]


def test_without_bodies_a_bundle_holds_the_quotes_but_no_report_text_and_stays_valid(consumer, graded):
    material = stix_material(Claim.objects.visible_to(consumer), consumer)

    bundle = stix.stix_bundle(material, bodies=False)

    assert report_texts(bundle) == []
    assert {ours(o)["quote"] for o in by_type(bundle, "opinion")} == set(
        Attribution.objects.values_list("quote", flat=True)
    )
    assert_valid(bundle)
    assert len(report_texts(stix.stix_bundle(material, bodies=True))) == Report.objects.count()


def test_an_api_consumer_gets_no_report_text_an_analyst_does(consumer_client, analyst_client, graded):
    assert report_texts(stix_of(consumer_client)) == []
    assert sorted(report_texts(stix_of(analyst_client))) == sorted(Report.objects.values_list("body", flat=True))


# In ---------------------------------------------------------------------------------------------------


def test_an_import_is_recorded_as_the_importers_naming_the_bundle_with_the_claims_statuses(
    client_for, reviewer, graded
):
    exported = stix_of(client_for(reviewer))
    empty_the_database()
    models = (Claim, Source, Report, Attribution, ClaimRelation, ReportDerivation)
    recorded = {
        model: model.history.order_by("-history_id").values_list("history_id", flat=True)[0] for model in models
    }

    imported = import_bundle(exported, by=reviewer)

    assert (imported.claims, imported.attributions, imported.relations, imported.derivations) == (2, 4, 1, 1)
    reason = f"imported from STIX bundle {exported['id']}"
    for model in models:
        arrivals = model.history.filter(history_id__gt=recorded[model], history_type="+")
        assert arrivals.exists() and {(r.history_user, r.history_change_reason) for r in arrivals} == {
            (reviewer, reason)
        }, model
    claim = Claim.objects.get(pk=graded.pk)
    assert claim.history.filter(history_id__gt=recorded[Claim], history_type="+").get().status == Claim.Status.DRAFT
    step = claim.transitions.get()
    assert (step.from_status, step.to_status, step.by) == (Claim.Status.DRAFT, Claim.Status.VETTED, reviewer)
    assert step.comment == f"Imported vetted from STIX bundle {exported['id']}."
    assert claim.status == Claim.Status.VETTED
    assert claim.suggested_credibility == graded.suggested_credibility  # weighed here, as it was there


def test_only_someone_who_may_vet_brings_vetted_claims_in(client_for, analyst, consumer, graded):
    exported = stix_of(client_for(analyst))
    empty_the_database()

    for importer in (analyst, consumer, None):
        with pytest.raises(BundleRefused, match=r"import as a reviewer|name an active user"):
            import_bundle(exported, by=importer)

    assert Claim.objects.count() == Source.objects.count() == Report.objects.count() == 0


def test_a_bundle_made_for_an_api_consumer_is_refused_for_want_of_report_texts(reviewer, graded):
    bundle = stix.stix_bundle(stix_material(Claim.objects.vetted(), reviewer), bodies=False)
    empty_the_database()

    with pytest.raises(BundleRefused) as refused:
        import_bundle(bundle, by=reviewer)

    assert len(refused.value.problems) == 2 and all(NO_TEXT in problem for problem in refused.value.problems)
    assert Claim.objects.count() == 0


def test_foreign_objects_are_listed_and_skipped(client_for, reviewer, graded):
    exported = stix_of(client_for(reviewer))
    empty_the_database()
    foreign = [
        {
            "type": "indicator",
            "spec_version": "2.1",
            "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "created": "2025-01-01T00:00:00.000Z",
            "modified": "2025-01-01T00:00:00.000Z",
            "pattern": "[ipv4-addr:value = '198.51.100.1']",
            "pattern_type": "stix",
            "valid_from": "2025-01-01T00:00:00.000Z",
        },
        {
            "type": "identity",
            "spec_version": "2.1",
            "id": "identity--2f0ab3c8-3e94-4b63-8d2f-1b1a3a4c0d5e",
            "created": "2025-01-01T00:00:00.000Z",
            "modified": "2025-01-01T00:00:00.000Z",
            "name": "Someone else's identity",
        },
    ]

    imported = import_bundle({**exported, "objects": [*exported["objects"], *foreign]}, by=reviewer)

    assert imported.skipped == [
        f"{obj['id']}: not made by a claimtracker (it carries none of our extensions)" for obj in foreign
    ]
    assert Claim.objects.count() == 2


def test_a_relation_to_a_claim_outside_the_bundle_is_skipped_and_listed(consumer_client, graded):
    single = stix_of(consumer_client, f"/api/v1/claims/{graded.pk}/")

    rows = read_bundle(single)

    assert rows.relations == {}
    assert any("refines a claim that is not in the bundle" in skipped for skipped in rows.skipped)


def test_objects_of_ours_that_cannot_be_read_are_each_named_and_refuse_the_bundle(client_for, reviewer, graded):
    bundle = stix_of(client_for(reviewer))  # with report texts: a consumer's bundle has none to import
    claim, other = sorted(by_type(bundle, "claim"), key=lambda c: c["tracker_id"])
    claim["likelihood"] = "probable"
    del other["review_status"]
    first, second = by_type(bundle, "identity")[1:3]
    ours(first)["same_as_ref"], ours(second)["same_as_ref"] = second["id"], first["id"]

    rows = read_bundle(bundle)

    assert rows.problems == [
        f"{claim['id']}: likelihood “probable” is not an ICD 203 term",
        f"{other['id']}: it lacks “review_status”",
        f"{first['id']}: its “same as” or “speaks for” links close a cycle",
    ]


def test_a_bundle_whose_ids_are_taken_is_refused_and_nothing_is_written(client_for, reviewer, graded):
    exported = stix_of(client_for(reviewer))
    claims_before = Claim.objects.count()

    with pytest.raises(BundleRefused, match="exist here already"):
        import_bundle(exported, by=reviewer)

    assert Claim.objects.count() == claims_before


def test_a_quote_that_is_not_in_its_report_refuses_the_whole_bundle_naming_it(client_for, reviewer, graded, tmp_path):
    exported = stix_of(client_for(reviewer))
    empty_the_database()
    opinion = by_type(exported, "opinion")[-1]
    ours(opinion)["quote"] = "words the report never had"
    (tmp_path / "bundle.json").write_text(json.dumps(exported))
    err = io.StringIO()

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_stix", str(tmp_path / "bundle.json"), "--by", reviewer.username, stderr=err)

    assert err.getvalue().startswith(f"{opinion['id']}: ")
    assert Claim.objects.count() == Source.objects.count() == Report.objects.count() == 0
