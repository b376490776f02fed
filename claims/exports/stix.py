"""Claims as a STIX 2.1 bundle, for threat-intelligence platforms (OpenCTI, MISP).

Pure: from the claims (attributions with source and report, relations
preloaded) and the reports, sources and derivations they lead to
(`StixMaterial`) to a dict, with no database access. The mapping
(../shared/STANDARDS.md, "STIX 2.1"):

- a claim is a new SDO, type `claim`, declared by the Extension Definition
  `CLAIM_EXTENSION` shipped in every bundle: statement, original wording, kind, the
  time it is about, the ICD 203 likelihood as its term (and as `confidence` per
  `scales.LIKELIHOODS`), the analysts' confidence in it, its review status
  and its stored corroboration (ids turned into STIX references);
- a source is an Identity whose Admiralty reliability is a property of our
  `PROPERTY_EXTENSION` (also shipped; reports, opinions and relationships carry what STIX has no property
  for in it too) (and, with `opencti=True`, OpenCTI's `x_opencti_reliability`);
- a report is a Report: `published`, `object_refs` (its claims, opinions and
  speakers), its URL in `external_references`, and with `bodies=True` its text
  in the extension (`bodies`: who gets report texts is the caller's to say; the
  API gives them to those who may read reports in the tracker, never to API
  consumers, as /api/v1/reports/ serves no text: README, "Standards");
- an attribution is an Opinion on its claim (agree, disagree or neutral by
  stance), created by its source's identity, `confidence` from its Admiralty
  credibility per `scales.CREDIBILITY_CONFIDENCE` (6 leaves it out), quote and offsets
  in the extension;
- a claim relation is a Relationship (`contradicts`, `corroborates`,
  `refines`, `duplicate-of`); a report derivation is `derived-from`;
- every object carries a TLP 2.0 marking: a report's own (`Report.tlp`),
  what stems from reports the strictest of theirs, the rest CLEAR.

Ids are UUIDv5 of the tracker's ids (`stix_id`), timestamps the rows' own, so
exporting the same data twice gives the same bundle and a platform updates its
objects instead of duplicating them.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from claims.exports.scales import CREDIBILITY_CONFIDENCE, LIKELIHOODS
from claims.models import Attribution, Claim, ClaimRelation
from sources.models import Report, ReportDerivation, Source, Tlp

MEDIA_TYPE = "application/stix+json;version=2.1"

# Every id is uuid5(NAMESPACE, "<model>:<tracker id>"): stable across exports and installations that share the data.
NAMESPACE = uuid.UUID("6f1cc1ba-3b83-4c4e-9a37-0e0a6f8f8b8a")

# Fixed objects (UUIDv4 literals: they are the same in every bundle).
PRODUCER_ID = "identity--0b1b3d0f-8b5e-4d59-9a4e-1b2f4f6a7c11"
CLAIM_EXTENSION_ID = "extension-definition--3c5f4e3a-6d6b-4f3e-8a43-2b7f0e1d9c55"
PROPERTY_EXTENSION_ID = "extension-definition--eb369f49-7632-43f4-8264-789b63796bb1"
FIXED_TIMESTAMP = "2026-11-27T00:00:00.000Z"  # when the extension's version 1.0.0 was defined

TLP_EXTENSION_ID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
# oasis-open/cti-stix-common-objects: the TLP 2.0 marking definitions, least to most restricted.
TLP_MARKINGS = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP_ORDER = list(Tlp)

OPINIONS = {
    Attribution.Stance.SUPPORTS: "agree",
    Attribution.Stance.CONTRADICTS: "disagree",
    Attribution.Stance.NEUTRAL: "neutral",
}
RELATIONSHIP_TYPES = {
    ClaimRelation.Kind.CONTRADICTS: "contradicts",
    ClaimRelation.Kind.CORROBORATES: "corroborates",
    ClaimRelation.Kind.REFINES: "refines",
    ClaimRelation.Kind.DUPLICATE_OF: "duplicate-of",
}
DERIVED_FROM = "derived-from"
# identity_class (identity-class-ov) by source kind.
IDENTITY_CLASSES = {
    Source.Kind.OUTLET: "organization",
    Source.Kind.NAMED_INDIVIDUAL: "individual",
    Source.Kind.ANONYMOUS_INDIVIDUAL: "individual",
    Source.Kind.DESCRIBED_INDIVIDUAL: "individual",
    Source.Kind.FORMER_OFFICIAL: "individual",
    Source.Kind.GROUP: "group",
    Source.Kind.OBSERVERS: "group",
    Source.Kind.ORGANISATION: "organization",
    Source.Kind.DOCUMENT: "unknown",
    Source.Kind.ESTIMATE: "unknown",
}
# OpenCTI's reliability vocabulary (reliability_ov), for `opencti=True`.
OPENCTI_RELIABILITY = {
    "A": "A - Completely reliable",
    "B": "B - Usually reliable",
    "C": "C - Fairly reliable",
    "D": "D - Not usually reliable",
    "E": "E - Unreliable",
    "F": "F - Reliability cannot be judged",
}

CLAIM_EXTENSION = {
    "type": "extension-definition",
    "spec_version": "2.1",
    "id": CLAIM_EXTENSION_ID,
    "created_by_ref": PRODUCER_ID,
    "created": FIXED_TIMESTAMP,
    "modified": FIXED_TIMESTAMP,
    "name": "claimtracker claim",
    "description": (
        "A claim in news reports: one assertion, who said it and how sure we are. New SDO `claim`: name and "
        "statement (the assertion in English), original_wording, kind (event, quantity, allegation, assessment, "
        "prediction), about_date, about_precision, about_text (the time it is about), likelihood (its ICD 203 "
        "term; confidence holds the number), analytic_confidence (ICD 203: low, moderate, high), review_status, "
        "corroboration (independent origins, with references to their identities and opinions, and the "
        "Admiralty credibility they suggest) and tracker_id (its id in the tracker that exported it). Who says "
        "it: opinions on it, by the identities of their sources."
    ),
    "schema": (
        "Plain text: the properties in this description, with the types of the claimtracker API's Claim "
        "(its OpenAPI schema at /api/schema/)."
    ),
    "version": "1.0.0",
    "extension_types": ["new-sdo"],
    "object_marking_refs": [TLP_MARKINGS[Tlp.CLEAR]],
}
PROPERTY_EXTENSION = {
    "type": "extension-definition",
    "spec_version": "2.1",
    "id": PROPERTY_EXTENSION_ID,
    "created_by_ref": PRODUCER_ID,
    "created": FIXED_TIMESTAMP,
    "modified": FIXED_TIMESTAMP,
    "name": "claimtracker evidence",
    "description": (
        "What the tracker records beside STIX's own properties. On an identity (a source): kind, affiliation, "
        "side, anonymous, reliability (Admiralty A-F), same_as_ref and member_of_ref (identities: the same "
        "speaker; who it speaks for). On a report: outlet, author, kind, body_kind, text (what quotes are "
        "anchored in). On an opinion (an attribution): report_ref, quote, start and end (code-point offsets "
        "of the quote in the report's text), verb, mode, hedged, credibility (Admiralty 1-6), grade, said_on, "
        "via_ref, relay_of_ref. On a derived-from relationship: derivation (relays, quotes, translates, "
        "summarises), note. Everywhere: tracker_id, the row's id in the tracker that exported it."
    ),
    "schema": (
        "Plain text: the properties in this description, with the types of the claimtracker API's Source, "
        "Report and Attribution (its OpenAPI schema at /api/schema/)."
    ),
    "version": "1.0.0",
    "extension_types": ["property-extension"],
    "object_marking_refs": [TLP_MARKINGS[Tlp.CLEAR]],
}
PRODUCER = {
    "type": "identity",
    "spec_version": "2.1",
    "id": PRODUCER_ID,
    "created": FIXED_TIMESTAMP,
    "modified": FIXED_TIMESTAMP,
    "name": "claimtracker",
    "description": "The claim tracker that exported this bundle.",
    "identity_class": "system",
    "object_marking_refs": [TLP_MARKINGS[Tlp.CLEAR]],
}
# As published in oasis-open/cti-stix-common-objects.
TLP_EXTENSION = {
    "type": "extension-definition",
    "spec_version": "2.1",
    "id": TLP_EXTENSION_ID,
    "created_by_ref": "identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01",
    "created": "2022-10-01T00:00:00.000Z",
    "modified": "2022-10-01T00:00:00.000Z",
    "name": "TLP 2.0",
    "description": "This defines TLP 2.0 as a STIX extension",
    "schema": "https://github.com/oasis-open/cti-stix-common-objects/tree/master/extension-definition-specifications/tlp-2.0",
    "version": "1.0.0",
    "extension_types": ["property-extension"],
}


def tlp_marking(tlp: str) -> dict:
    """The TLP 2.0 marking definition object of `tlp`, as published."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP_MARKINGS[tlp],
        "created": "2022-10-01T00:00:00.000Z",
        "name": Tlp(tlp).label,
        "extensions": {TLP_EXTENSION_ID: {"extension_type": "property-extension", "tlp_2_0": tlp}},
    }


@functools.lru_cache(maxsize=1 << 16)  # a bundle names each row several times; uuid5 is most of its cost
def stix_id(stix_type: str, model: str, pk: int) -> str:
    """The deterministic id of a tracker row: `claim--<uuid5("claim:12")>`."""
    return f"{stix_type}--{uuid.uuid5(NAMESPACE, f'{model}:{pk}')}"


def claim_id(pk: int) -> str:
    return stix_id("claim", "claim", pk)


def source_id(pk: int) -> str:
    return stix_id("identity", "source", pk)


def report_id(pk: int) -> str:
    return stix_id("report", "report", pk)


def opinion_id(pk: int) -> str:
    return stix_id("opinion", "attribution", pk)


def relation_id(pk: int) -> str:
    return stix_id("relationship", "relation", pk)


def derivation_id(pk: int) -> str:
    return stix_id("relationship", "derivation", pk)


def timestamp(moment: datetime | date) -> str:
    """STIX timestamps are UTC, precise to the millisecond (the validator insists on exactly three digits)."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def strictest(tlps: Iterable[str]) -> str:
    return max(tlps, key=TLP_ORDER.index, default=Tlp.CLEAR)


def _present(properties: dict) -> dict:
    """Leave out empty optional properties (STIX lists may not be empty; an empty string says nothing)."""
    return {key: value for key, value in properties.items() if value not in ("", None, [], {})}


@dataclass
class StixMaterial:
    """What a bundle is made of, read beforehand (`claims.api.exports.stix_material`)."""

    claims: list[Claim]
    attributions: list[Attribution]  # every attribution of `claims`, with its source
    relations: list[ClaimRelation]  # of `claims`, either way, to claims the reader may see
    reports: dict[int, Report]  # every report the bundle cites, with its text and TLP
    sources: dict[int, Source]  # every speaking source, and those their same_as / member_of chains lead to
    derivations: list[ReportDerivation] = field(default_factory=list)  # between reports of `reports`


def _extension(**properties) -> dict:
    return {PROPERTY_EXTENSION_ID: {"extension_type": "property-extension", **_present(properties)}}


def _claim_object(claim: Claim, tlp: str, sources: dict[int, Source]) -> dict:
    term, confidence, _ = LIKELIHOODS.get(claim.likelihood, ("", None, None))
    return _present(
        {
            "type": "claim",
            "spec_version": "2.1",
            "id": claim_id(claim.pk),
            "created_by_ref": PRODUCER_ID,
            "created": timestamp(claim.created_at),
            "modified": timestamp(claim.updated_at),
            "name": claim.statement,
            "statement": claim.statement,
            "original_wording": claim.original_wording,
            "kind": claim.kind,
            "about_date": claim.about_date.isoformat() if claim.about_date else "",
            "about_precision": claim.about_precision,
            "about_text": claim.about_text,
            "likelihood": term,
            "confidence": confidence,
            "analytic_confidence": claim.confidence,
            "review_status": claim.status,
            "corroboration": _corroboration(claim.corroboration, sources),
            "lang": "en",
            "tracker_id": claim.pk,
            "object_marking_refs": [TLP_MARKINGS[tlp]],
            "extensions": {CLAIM_EXTENSION_ID: {"extension_type": "new-sdo"}},
        }
    )


def _corroboration(weight: dict, sources: dict[int, Source]) -> dict:
    """The stored weight with its tracker ids as STIX references (a party always has its identity in the bundle)."""
    if not weight:
        return {}
    origins = [
        {
            "stance": origin["stance"],
            "source_ref": source_id(origin["source"]),
            "party_ref": source_id(origin["party"]),
            "opinion_refs": [opinion_id(pk) for pk in origin["attributions"]],
            "relay_refs": [opinion_id(pk) for pk in origin["relays"]],
            "hedged": origin["hedged"],
            "circular": origin["circular"],
        }
        for origin in weight.get("origins", [])
        if origin["source"] in sources and origin["party"] in sources
    ]
    return {**{key: value for key, value in weight.items() if key != "origins"}, "origins": origins}


def _identity_object(source: Source, tlp: str, *, opencti: bool) -> dict:
    identity = _present(
        {
            "type": "identity",
            "spec_version": "2.1",
            "id": source_id(source.pk),
            "created_by_ref": PRODUCER_ID,
            "created": timestamp(source.created_at),
            "modified": timestamp(source.updated_at),
            "name": source.label,
            "description": source.description,
            "identity_class": IDENTITY_CLASSES.get(source.kind, "unknown"),
            "object_marking_refs": [TLP_MARKINGS[tlp]],
            "extensions": _extension(
                kind=source.kind,
                affiliation=source.affiliation,
                side=source.side,
                anonymous=source.anonymous,
                reliability=source.reliability,
                same_as_ref=source_id(source.same_as_id) if source.same_as_id else None,
                member_of_ref=source_id(source.member_of_id) if source.member_of_id else None,
                tracker_id=source.pk,
            ),
        }
    )
    if opencti:
        identity["x_opencti_reliability"] = OPENCTI_RELIABILITY[source.reliability]
    return identity


def _report_object(report: Report, object_refs: list[str], *, bodies: bool) -> dict:
    return _present(
        {
            "type": "report",
            "spec_version": "2.1",
            "id": report_id(report.pk),
            "created_by_ref": PRODUCER_ID,
            "created": timestamp(report.created_at),
            "modified": timestamp(report.updated_at),
            "name": report.title,
            "published": timestamp(report.published),
            "object_refs": object_refs,
            "lang": report.language,
            "external_references": [{"source_name": report.outlet, "url": report.url}] if report.url else [],
            "object_marking_refs": [TLP_MARKINGS[report.tlp]],
            "extensions": _extension(
                outlet=report.outlet,
                author=report.author,
                kind=report.kind,
                body_kind=report.body_kind,
                text=report.body if bodies else None,
                tracker_id=report.pk,
            ),
        }
    )


def _opinion_object(attribution: Attribution, reports: dict[int, Report]) -> dict:
    report = reports[attribution.report_id]
    return _present(
        {
            "type": "opinion",
            "spec_version": "2.1",
            "id": opinion_id(attribution.pk),
            "created_by_ref": source_id(attribution.source_id),
            "created": timestamp(attribution.created_at),
            "modified": timestamp(attribution.updated_at),
            "explanation": attribution.quote,
            "authors": [attribution.source.label],
            "opinion": OPINIONS[attribution.stance],
            "object_refs": [claim_id(attribution.claim_id)],
            "confidence": CREDIBILITY_CONFIDENCE.get(attribution.credibility),
            "lang": report.language,
            "object_marking_refs": [TLP_MARKINGS[report.tlp]],
            "extensions": _extension(
                report_ref=report_id(report.pk),
                quote=attribution.quote,
                start=attribution.start,
                end=attribution.end,
                verb=attribution.verb,
                mode=attribution.mode,
                hedged=attribution.hedged,
                credibility=attribution.credibility,
                grade=attribution.grade,
                said_on=attribution.said_on.isoformat() if attribution.said_on else None,
                via_ref=report_id(attribution.via_id) if attribution.via_id in reports else None,
                relay_of_ref=opinion_id(attribution.relay_of_id) if attribution.relay_of_id else None,
                tracker_id=attribution.pk,
            ),
        }
    )


def _relation_object(relation: ClaimRelation, tlp: str) -> dict:
    return _present(
        {
            "type": "relationship",
            "spec_version": "2.1",
            "id": relation_id(relation.pk),
            "created_by_ref": PRODUCER_ID,
            "created": timestamp(relation.created_at),
            "modified": timestamp(relation.created_at),
            "relationship_type": RELATIONSHIP_TYPES[relation.kind],
            "source_ref": claim_id(relation.from_claim_id),
            "target_ref": claim_id(relation.to_claim_id),
            "description": relation.rationale,
            "object_marking_refs": [TLP_MARKINGS[tlp]],
            "extensions": _extension(tracker_id=relation.pk),
        }
    )


def _derivation_object(derivation: ReportDerivation, reports: dict[int, Report]) -> dict:
    derived, original = reports[derivation.report_id], reports[derivation.original_id]
    # A derivation keeps no time of its own: it was recorded once both reports were.
    recorded = timestamp(max(derived.created_at, original.created_at))
    return _present(
        {
            "type": "relationship",
            "spec_version": "2.1",
            "id": derivation_id(derivation.pk),
            "created_by_ref": PRODUCER_ID,
            "created": recorded,
            "modified": recorded,
            "relationship_type": DERIVED_FROM,
            "source_ref": report_id(derived.pk),
            "target_ref": report_id(original.pk),
            "description": derivation.get_kind_display(),
            "object_marking_refs": [TLP_MARKINGS[strictest([derived.tlp, original.tlp])]],
            "extensions": _extension(derivation=derivation.kind, note=derivation.note, tracker_id=derivation.pk),
        }
    )


def bundle_id(objects: list[dict]) -> str:
    """A bundle's id follows from what it holds: the same objects at the same versions, the same id."""
    digest = hashlib.sha256("\n".join(f"{o['id']} {o.get('modified', '')}" for o in objects).encode()).hexdigest()
    return f"bundle--{uuid.uuid5(NAMESPACE, f'bundle:{digest}')}"


def stix_bundle(material: StixMaterial, *, opencti: bool = False, bodies: bool = True) -> dict:
    """The bundle of `material`'s claims with their evidence, objects in a stable order.

    `opencti`: identities carry OpenCTI's `x_opencti_reliability` too. `bodies`: reports carry their text (what
    another tracker anchors the quotes in when it imports the bundle); without it, the quotes, in the opinions,
    are all a bundle holds of the reports' words.
    """
    reports, sources = material.reports, material.sources
    attributions = sorted(material.attributions, key=lambda a: a.pk)
    tlps_by_claim: dict[int, list[str]] = {}
    tlps_by_source: dict[int, list[str]] = {}
    refs_by_report: dict[int, set[str]] = {}
    for attribution in attributions:
        tlp = reports[attribution.report_id].tlp
        tlps_by_claim.setdefault(attribution.claim_id, []).append(tlp)
        tlps_by_source.setdefault(attribution.source_id, []).append(tlp)
        refs = [claim_id(attribution.claim_id), opinion_id(attribution.pk), source_id(attribution.source_id)]
        refs_by_report.setdefault(attribution.report_id, set()).update(refs)
        if attribution.via_id in reports:
            refs_by_report.setdefault(attribution.via_id, set()).update(refs)
    claim_tlps = {claim.pk: strictest(tlps_by_claim.get(claim.pk, ())) for claim in material.claims}

    objects = [
        *(_claim_object(claim, claim_tlps[claim.pk], sources) for claim in sorted(material.claims, key=lambda c: c.pk)),
        *(
            _identity_object(sources[pk], strictest(tlps_by_source.get(pk, ())), opencti=opencti)
            for pk in sorted(sources)
        ),
        *(
            _report_object(reports[pk], sorted(refs_by_report[pk]), bodies=bodies)
            for pk in sorted(reports)
            if pk in refs_by_report
        ),
        *(_opinion_object(attribution, reports) for attribution in attributions),
        *(
            _relation_object(
                relation,
                strictest(claim_tlps[pk] for pk in (relation.from_claim_id, relation.to_claim_id) if pk in claim_tlps),
            )
            for relation in sorted({r.pk: r for r in material.relations}.values(), key=lambda r: r.pk)
        ),
        *(
            _derivation_object(derivation, reports)
            for derivation in sorted(material.derivations, key=lambda d: d.pk)
            if derivation.report_id in refs_by_report and derivation.original_id in refs_by_report
        ),
    ]
    used = {ref for obj in objects for ref in obj.get("object_marking_refs", [])} | {TLP_MARKINGS[Tlp.CLEAR]}
    markings = [tlp_marking(tlp) for tlp in TLP_ORDER if TLP_MARKINGS[tlp] in used]
    objects = [CLAIM_EXTENSION, PROPERTY_EXTENSION, PRODUCER, TLP_EXTENSION, *markings, *objects]
    return {"type": "bundle", "id": bundle_id(objects), "objects": objects}
