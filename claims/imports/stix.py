"""STIX in: a bundle this tracker exported (`claims.exports.stix`) loaded into another installation.

`read_bundle` (pure) sorts a bundle's objects into the rows they stand for
(`BundleRows`), lists, with the reason, every object it leaves out (a foreign
object, not made by a claimtracker, or one whose references lead out of the
bundle) and every one of ours it cannot read (a property missing or out of
range). `import_bundle` writes the rows through `claims.services` (the import
services of `claims.services.imports`, and the evidence services every entry
goes through), all or nothing.

So that two installations exchange claims without changing their identity,
rows keep the ids (hence the STIX ids, which derive from them), the statuses
and the times they had in the exporting tracker: exporting what was imported
gives the bundle that was imported. That needs ids free here (an empty
database, as for `loaddata`): a bundle whose ids are taken is refused, naming
them. A bundle made for an API consumer carries no report texts (README,
"Standards"), so its quotes cannot be anchored: it is refused, saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from claims import services
from claims.exports import stix
from claims.exports.scales import LIKELIHOOD_BY_TERM
from claims.models import Attribution, Claim, ClaimRelation
from sources.models import Report, ReportDerivation, Source

RELATION_KINDS = {value: kind for kind, value in stix.RELATIONSHIP_TYPES.items()}
STANCES = {value: stance for stance, value in stix.OPINIONS.items()}
_FIXED = {
    stix.CLAIM_EXTENSION_ID,
    stix.PROPERTY_EXTENSION_ID,
    stix.PRODUCER_ID,
    stix.TLP_EXTENSION_ID,
    *stix.TLP_MARKINGS.values(),
}
_TLPS = {marking: tlp for tlp, marking in stix.TLP_MARKINGS.items()}
_STAMPS = ("created_at", "updated_at")
NO_TEXT = (
    "carries no text to anchor its quotes in: bundles made for API consumers leave report texts out; "
    "export with the token of an analyst or a reviewer"
)


class BundleRefused(Exception):
    """The bundle cannot be imported: `problems` says why. Nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class BundleRows:
    """The rows a bundle stands for, by model, each a dict of field values keyed by the row's id.

    Sources come in an order that imports each after those it links to (`same_as`, `member_of`).
    """

    bundle_id: str = ""
    sources: dict[int, dict] = field(default_factory=dict)
    reports: dict[int, dict] = field(default_factory=dict)
    claims: dict[int, dict] = field(default_factory=dict)
    derivations: dict[int, dict] = field(default_factory=dict)
    attributions: dict[int, dict] = field(default_factory=dict)
    relations: dict[int, dict] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # left out: foreign, or leading out of the bundle
    problems: list[str] = field(default_factory=list)  # ours, but unreadable: the bundle is refused
    # ("claim", "source", "report", "attribution", "derivation" or "relation", id) -> STIX id, for messages
    stix_ids: dict[tuple[str, int], str] = field(default_factory=dict)


def _moment(value) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"“{value}” is not a STIX timestamp")
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _day(value) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"“{value}” is not a date")
    return date.fromisoformat(value[:10])


def _pk(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"tracker_id “{value}” is not a row id")
    return value


def _choice(value, choices, name: str):
    if value not in choices.values:
        raise ValueError(f"{name} “{value}” is not one of {', '.join(map(str, choices.values))}")
    return value


def _ours(obj: dict) -> dict | None:
    """Our extension's properties on `obj`, or None when it carries none (a foreign object)."""
    extension = (obj.get("extensions") or {}).get(stix.PROPERTY_EXTENSION_ID)
    return extension if isinstance(extension, dict) else None


def _times(obj: dict) -> dict:
    return {"created_at": _moment(obj["created"]), "updated_at": _moment(obj["modified"])}


def _claim(obj: dict) -> dict:
    term = obj.get("likelihood", "")
    if term and term not in LIKELIHOOD_BY_TERM:
        raise ValueError(f"likelihood “{term}” is not an ICD 203 term")
    return {
        "statement": obj["statement"],
        "original_wording": obj.get("original_wording", ""),
        "kind": _choice(obj.get("kind", Claim.Kind.EVENT), Claim.Kind, "kind"),
        "about_date": _day(obj.get("about_date")),
        "about_precision": obj.get("about_precision", ""),
        "about_text": obj.get("about_text", ""),
        "likelihood": LIKELIHOOD_BY_TERM.get(term, ""),
        "confidence": obj.get("analytic_confidence", ""),
        "status": _choice(obj["review_status"], Claim.Status, "review_status"),
        **_times(obj),
    }


def _source(obj: dict, ours: dict) -> dict:
    return {
        "label": obj["name"],
        "description": obj.get("description", ""),
        "kind": _choice(ours.get("kind"), Source.Kind, "kind"),
        "affiliation": ours.get("affiliation", ""),
        "side": ours.get("side", ""),
        "anonymous": ours.get("anonymous", False),
        "reliability": ours.get("reliability", Source.Reliability.F),
        "same_as": ours.get("same_as_ref"),
        "member_of": ours.get("member_of_ref"),
        **_times(obj),
    }


def _report(obj: dict, ours: dict) -> dict:
    if not ours.get("text"):
        raise ValueError(f"report “{obj.get('name', '?')}” {NO_TEXT}")
    links = [ref.get("url") for ref in obj.get("external_references", []) if ref.get("url")]
    markings = [_TLPS[ref] for ref in obj.get("object_marking_refs", []) if ref in _TLPS]
    return {
        "title": obj["name"],
        "outlet": ours.get("outlet", ""),
        "author": ours.get("author", ""),
        "published": _day(obj["published"]),
        "url": links[0] if links else "",
        "language": obj.get("lang", "fr"),
        "kind": ours.get("kind", Report.Kind.OTHER),
        "body_kind": ours.get("body_kind", Report.BodyKind.FULL_TEXT),
        "body": ours["text"],
        "tlp": stix.strictest(markings),
        **_times(obj),
    }


def _sources_in_link_order(rows: BundleRows) -> None:
    """Reorder `rows.sources` so that each comes after the sources it links to; a cycle is a problem."""
    ordered: dict[int, dict] = {}
    visiting: set[int] = set()

    def visit(pk: int) -> None:
        if pk in ordered:
            return
        if pk in visiting:
            raise ValueError(pk)
        visiting.add(pk)
        for link in ("same_as", "member_of"):
            if (target := rows.sources[pk][link]) is not None:
                visit(target)
        visiting.discard(pk)
        ordered[pk] = rows.sources[pk]

    try:
        for pk in sorted(rows.sources):
            visit(pk)
    except ValueError as cycle:
        (pk,) = cycle.args
        rows.problems.append(f"{rows.stix_ids[('source', pk)]}: its “same as” or “speaks for” links close a cycle")
        return
    rows.sources = ordered


def read_bundle(bundle: dict) -> BundleRows:
    """Sort the objects of `bundle` into rows. ValueError when it is not a STIX bundle."""
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle" or not isinstance(bundle.get("objects"), list):
        raise ValueError("Not a STIX 2.1 bundle: no type 'bundle' with a list of objects.")
    rows = BundleRows(bundle_id=str(bundle.get("id", "")))
    ids: dict[str, int] = {}  # STIX id -> tracker id, of the objects we take
    pending: list[dict] = []  # opinions and relationships: read once every claim, source and report is known
    for position, obj in enumerate(bundle["objects"]):
        if not isinstance(obj, dict):
            rows.problems.append(f"object #{position + 1}: not a STIX object")
            continue
        kind, object_id, ours = obj.get("type"), str(obj.get("id", f"object #{position + 1}")), _ours(obj)
        if object_id in _FIXED:
            continue
        try:
            if kind == "claim" and stix.CLAIM_EXTENSION_ID in (obj.get("extensions") or {}):
                table, row_kind, tracker_id = rows.claims, "claim", _pk(obj.get("tracker_id"))
                row = _claim(obj)
            elif kind == "identity" and ours is not None:
                table, row_kind, tracker_id = rows.sources, "source", _pk(ours.get("tracker_id"))
                row = _source(obj, ours)
            elif kind == "report" and ours is not None:
                table, row_kind, tracker_id = rows.reports, "report", _pk(ours.get("tracker_id"))
                row = _report(obj, ours)
            elif kind in {"opinion", "relationship"} and ours is not None:
                _pk(ours.get("tracker_id"))
                pending.append(obj)
                continue
            else:
                rows.skipped.append(f"{object_id}: not made by a claimtracker (it carries none of our extensions)")
                continue
        except KeyError as missing:
            rows.problems.append(f"{object_id}: it lacks “{missing.args[0]}”")
            continue
        except (TypeError, ValueError) as error:
            rows.problems.append(f"{object_id}: {error}")
            continue
        table[tracker_id] = row
        ids[object_id] = tracker_id
        rows.stix_ids[(row_kind, tracker_id)] = object_id

    def known(ref, table) -> int | None:
        pk = ids.get(ref)
        return pk if pk in table else None

    for source in rows.sources.values():
        for link in ("same_as", "member_of"):
            ref = source[link]
            source[link] = known(ref, rows.sources) if ref else None
            if ref and source[link] is None:
                rows.skipped.append(
                    f"{ref}: the “{link.replace('_', ' ')}” of “{source['label']}” is not in the bundle"
                )
    _sources_in_link_order(rows)
    for obj in pending:
        try:
            _read_link(obj, rows, known)
        except KeyError as missing:
            rows.problems.append(f"{obj.get('id')}: it lacks “{missing.args[0]}”")
        except (TypeError, ValueError) as error:
            rows.problems.append(f"{obj.get('id')}: {error}")
    return rows


def _read_link(obj: dict, rows: BundleRows, known) -> None:
    """An opinion (an attribution), or a relationship (a relation between claims, or a derivation)."""
    ours, object_id, tracker_id = _ours(obj), obj["id"], _pk(_ours(obj).get("tracker_id"))
    if obj["type"] == "opinion":
        if obj.get("opinion") not in STANCES:
            raise ValueError(f"opinion “{obj.get('opinion')}” is not one this tracker writes ({', '.join(STANCES)})")
        row = {
            "claim": known((obj.get("object_refs") or [None])[0], rows.claims),
            "source": known(obj.get("created_by_ref"), rows.sources),
            "report": known(ours.get("report_ref"), rows.reports),
            "quote": ours["quote"],
            "start": ours.get("start"),
            "end": ours.get("end"),
            "verb": ours.get("verb", ""),
            "mode": ours.get("mode", Attribution.Mode.PARAPHRASE),
            "stance": STANCES[obj["opinion"]],
            "hedged": ours.get("hedged", False),
            "credibility": ours.get("credibility", Attribution.Credibility.CANNOT_BE_JUDGED),
            "said_on": _day(ours.get("said_on")),
            "via": known(ours.get("via_ref"), rows.reports),
            **_times(obj),
        }
        if None in (row["claim"], row["source"], row["report"]):
            rows.skipped.append(f"{object_id}: its claim, source (created_by_ref) or report is not in the bundle")
            return
        rows.attributions[tracker_id] = row
        row_kind = "attribution"
    elif obj.get("relationship_type") == stix.DERIVED_FROM:
        row = {
            "report": known(obj.get("source_ref"), rows.reports),
            "original": known(obj.get("target_ref"), rows.reports),
            "kind": ours.get("derivation", ReportDerivation.Kind.RELAYS),
            "note": ours.get("note", ""),
        }
        if None in (row["report"], row["original"]):
            rows.skipped.append(f"{object_id}: derived-from a report that is not in the bundle")
            return
        rows.derivations[tracker_id] = row
        row_kind = "derivation"
    elif obj.get("relationship_type") in RELATION_KINDS:
        row = {
            "from_claim": known(obj.get("source_ref"), rows.claims),
            "to_claim": known(obj.get("target_ref"), rows.claims),
            "kind": RELATION_KINDS[obj["relationship_type"]],
            "rationale": obj.get("description", ""),
            "created_at": _moment(obj["created"]),
        }
        if None in (row["from_claim"], row["to_claim"]):
            rows.skipped.append(f"{object_id}: {obj['relationship_type']} a claim that is not in the bundle")
            return
        rows.relations[tracker_id] = row
        row_kind = "relation"
    else:
        rows.skipped.append(f"{object_id}: a relationship this tracker does not record")
        return
    rows.stix_ids[(row_kind, tracker_id)] = object_id


@dataclass
class Imported:
    claims: int = 0
    sources: int = 0
    reports: int = 0
    attributions: int = 0
    relations: int = 0
    derivations: int = 0
    skipped: list[str] = field(default_factory=list)


def _fields(values: dict, *leave_out: str) -> dict:
    return {name: value for name, value in values.items() if name not in (*_STAMPS, *leave_out)}


class _Stage:
    """Write one kind of row, collecting each refusal with the STIX id of its object; raise them all at the end."""

    def __init__(self, rows: BundleRows, row_kind: str):
        self.rows, self.row_kind, self.problems = rows, row_kind, []

    def write(self, pk: int, writer) -> None:
        try:
            writer()
        except ValidationError as error:
            self.problems.append(f"{self.rows.stix_ids.get((self.row_kind, pk), pk)}: {'; '.join(error.messages)}")

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is None and self.problems:
            raise BundleRefused(self.problems)
        return False


def import_bundle(bundle: dict, *, by) -> Imported:
    """Load `bundle` (exported by a claimtracker) here as `by`, through the services. BundleRefused, with
    nothing written, when it has unreadable objects, its ids are taken, `by` may not bring its claims in with
    their statuses, or a row does not validate (a quote not in its report's text, a value out of range)."""
    rows = read_bundle(bundle)
    if rows.problems:
        raise BundleRefused(rows.problems)
    statuses = {values["status"] for values in rows.claims.values()}
    if refusal := services.importer_refusal(by=by, statuses=statuses):
        raise BundleRefused([refusal])
    with transaction.atomic():
        _write(rows, by=by)
    return Imported(
        claims=len(rows.claims),
        sources=len(rows.sources),
        reports=len(rows.reports),
        attributions=len(rows.attributions),
        relations=len(rows.relations),
        derivations=len(rows.derivations),
        skipped=rows.skipped,
    )


def _write(rows: BundleRows, *, by) -> None:
    taken = services.ids_taken(
        {
            Claim: rows.claims,
            Source: rows.sources,
            Report: rows.reports,
            Attribution: rows.attributions,
            ClaimRelation: rows.relations,
            ReportDerivation: rows.derivations,
        }
    )
    if taken:
        raise BundleRefused([*taken, "import a bundle into a database that does not hold these ids"])
    reason = services.imported_from(rows.bundle_id)
    with _Stage(rows, "source") as stage:
        for pk, values in rows.sources.items():
            source = Source(
                pk=pk,
                same_as_id=values["same_as"],
                member_of_id=values["member_of"],
                **_fields(values, "same_as", "member_of"),
            )
            stage.write(pk, lambda source=source: services.source_import(source=source, by=by, reason=reason))
    with _Stage(rows, "report") as stage:
        for pk, values in rows.reports.items():
            report = Report(pk=pk, **_fields(values))
            stage.write(pk, lambda report=report: services.report_import(report=report, by=by, reason=reason))
    claims: dict[int, Claim] = {}
    with _Stage(rows, "claim") as stage:
        for pk, values in rows.claims.items():
            claims[pk] = Claim(pk=pk, **_fields(values, "status"))
            stage.write(pk, lambda claim=claims[pk]: services.claim_import(claim=claim, by=by, reason=reason))
    with _Stage(rows, "derivation") as stage:
        for pk, values in rows.derivations.items():
            derivation = ReportDerivation(
                pk=pk,
                report_id=values["report"],
                original_id=values["original"],
                kind=values["kind"],
                note=values["note"],
            )
            stage.write(pk, lambda row=derivation: services.derivation_import(derivation=row, by=by, reason=reason))
    with _Stage(rows, "attribution") as stage:
        for pk, values in rows.attributions.items():
            attribution = Attribution(
                pk=pk,
                claim=claims[values["claim"]],
                source_id=values["source"],
                report_id=values["report"],
                via_id=values["via"],
                **_fields(values, "claim", "source", "report", "via"),
            )
            stage.write(pk, lambda row=attribution: services.attribution_import(attribution=row, by=by, reason=reason))
    with _Stage(rows, "relation") as stage:
        for pk, values in rows.relations.items():
            relation = ClaimRelation(
                pk=pk,
                from_claim=claims[values["from_claim"]],
                to_claim=claims[values["to_claim"]],
                kind=values["kind"],
                rationale=values["rationale"],
            )
            stage.write(pk, lambda row=relation: services.relation_import(relation=row, by=by, reason=reason))
    origin = f"STIX bundle {rows.bundle_id}"
    for pk in sorted(rows.claims):
        services.claim_import_status(claim=claims[pk], status=rows.claims[pk]["status"], by=by, origin=origin)
    services.claims_reweigh(rows.claims)  # a claim without attributions is weighed too
    # Last: the times every write above moved. They are the exporting tracker's, as the STIX ids are.
    services.import_settle(
        times={
            Source: {pk: (v["created_at"], v["updated_at"]) for pk, v in rows.sources.items()},
            Report: {pk: (v["created_at"], v["updated_at"]) for pk, v in rows.reports.items()},
            Claim: {pk: (v["created_at"], v["updated_at"]) for pk, v in rows.claims.items()},
            Attribution: {pk: (v["created_at"], v["updated_at"]) for pk, v in rows.attributions.items()},
            ClaimRelation: {pk: (v["created_at"],) for pk, v in rows.relations.items()},
        }
    )
