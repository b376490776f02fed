"""STIX in: a bundle this tracker exported (`claims.exports.stix`) loaded into another installation.

`read_bundle` (pure) sorts a bundle's objects into the rows they stand for
(`BundleRows`) and lists, with the reason, every object it leaves out: a
foreign object (not made by a claimtracker), or one whose references lead out
of the bundle. `import_bundle` writes the rows, all or nothing.

So that two installations exchange claims without changing their identity,
rows keep the ids (hence the STIX ids, which derive from them) and times they
had in the exporting tracker: exporting what was imported gives the bundle
that was imported. That needs ids free here (an empty database, as for
`loaddata`): a bundle whose ids are taken is refused, naming them. Claims,
sources and reports are inserted with their ids, as `services.claim_restore`
does; links between sources, derivations, attributions and relations go
through `claims.services` (the quotes are anchored, the weight of the evidence
is computed here, not copied); claims then take their status (a
`ClaimTransition` says where it came from) and every row its times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction

from claims import services
from claims.exports import stix
from claims.exports.scales import LIKELIHOOD_BY_TERM
from claims.models import WORKFLOW_STEP, Attribution, Claim, ClaimRelation, ClaimTransition
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


class BundleRefused(Exception):
    """The bundle cannot be imported: `problems` says why. Nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class BundleRows:
    """The rows a bundle stands for, by model, each a dict of field values keyed by the row's id."""

    bundle_id: str = ""
    sources: dict[int, dict] = field(default_factory=dict)
    reports: dict[int, dict] = field(default_factory=dict)
    claims: dict[int, dict] = field(default_factory=dict)
    derivations: dict[int, dict] = field(default_factory=dict)
    attributions: dict[int, dict] = field(default_factory=dict)
    relations: dict[int, dict] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _ours(obj: dict) -> dict | None:
    """Our extension's properties on `obj`, or None when it carries none (a foreign object)."""
    extension = (obj.get("extensions") or {}).get(stix.PROPERTY_EXTENSION_ID)
    return extension if isinstance(extension, dict) else None


def _times(obj: dict) -> dict:
    return {"created_at": _moment(obj["created"]), "updated_at": _moment(obj["modified"])}


def read_bundle(bundle: dict) -> BundleRows:
    """Sort the objects of `bundle` into rows. ValueError when it is not a STIX bundle."""
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle" or not isinstance(bundle.get("objects"), list):
        raise ValueError("Not a STIX 2.1 bundle: no type 'bundle' with a list of objects.")
    rows = BundleRows(bundle_id=str(bundle.get("id", "")))
    ids: dict[str, int] = {}  # STIX id -> tracker id, of the objects we take
    pending: list[dict] = []  # opinions and relationships: read once every claim, source and report is known
    for obj in bundle["objects"]:
        kind, object_id, ours = obj.get("type"), obj.get("id", "?"), _ours(obj)
        tracker_id = obj.get("tracker_id") if kind == "claim" else (ours or {}).get("tracker_id")
        if object_id in _FIXED:
            continue
        if kind == "claim" and stix.CLAIM_EXTENSION_ID in (obj.get("extensions") or {}):
            rows.claims[obj["tracker_id"]] = {
                "statement": obj["statement"],
                "original_wording": obj.get("original_wording", ""),
                "kind": obj.get("kind", Claim.Kind.EVENT),
                "about_date": _day(obj.get("about_date")),
                "about_precision": obj.get("about_precision", ""),
                "about_text": obj.get("about_text", ""),
                "likelihood": LIKELIHOOD_BY_TERM.get(obj.get("likelihood", ""), ""),
                "confidence": obj.get("analytic_confidence", ""),
                "status": obj.get("review_status", Claim.Status.VETTED),
                **_times(obj),
            }
        elif kind == "identity" and ours is not None and tracker_id is not None:
            rows.sources[tracker_id] = {
                "label": obj["name"],
                "description": obj.get("description", ""),
                "kind": ours.get("kind"),
                "affiliation": ours.get("affiliation", ""),
                "side": ours.get("side", ""),
                "anonymous": ours.get("anonymous", False),
                "reliability": ours.get("reliability", Source.Reliability.F),
                "same_as": ours.get("same_as_ref"),
                "member_of": ours.get("member_of_ref"),
                **_times(obj),
            }
        elif kind == "report" and ours is not None and tracker_id is not None:
            links = [ref.get("url") for ref in obj.get("external_references", []) if ref.get("url")]
            markings = [_TLPS[ref] for ref in obj.get("object_marking_refs", []) if ref in _TLPS]
            rows.reports[tracker_id] = {
                "title": obj["name"],
                "outlet": ours.get("outlet", ""),
                "author": ours.get("author", ""),
                "published": _day(obj["published"]),
                "url": links[0] if links else "",
                "language": obj.get("lang", "fr"),
                "kind": ours.get("kind", Report.Kind.OTHER),
                "body_kind": ours.get("body_kind", Report.BodyKind.FULL_TEXT),
                "body": ours.get("text", ""),
                "tlp": stix.strictest(markings),
                **_times(obj),
            }
        elif kind in {"opinion", "relationship"} and ours is not None and tracker_id is not None:
            pending.append(obj)
            continue
        else:
            rows.skipped.append(f"{object_id}: not made by a claimtracker (it carries none of our extensions)")
            continue
        ids[object_id] = tracker_id

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
    for obj in pending:
        ours, object_id = _ours(obj), obj["id"]
        if obj["type"] == "opinion":
            row = {
                "claim": known((obj.get("object_refs") or [None])[0], rows.claims),
                "source": known(obj.get("created_by_ref"), rows.sources),
                "report": known(ours.get("report_ref"), rows.reports),
                "quote": ours.get("quote", ""),
                "start": ours.get("start"),
                "end": ours.get("end"),
                "verb": ours.get("verb", ""),
                "mode": ours.get("mode", Attribution.Mode.PARAPHRASE),
                "stance": STANCES.get(obj.get("opinion")),
                "hedged": ours.get("hedged", False),
                "credibility": ours.get("credibility", Attribution.Credibility.CANNOT_BE_JUDGED),
                "said_on": _day(ours.get("said_on")),
                "via": known(ours.get("via_ref"), rows.reports),
                **_times(obj),
            }
            if None in (row["claim"], row["source"], row["report"], row["stance"]):
                rows.skipped.append(f"{object_id}: its claim, source (created_by_ref) or report is not in the bundle")
            else:
                rows.attributions[ours["tracker_id"]] = row
        elif obj.get("relationship_type") == stix.DERIVED_FROM:
            row = {
                "report": known(obj.get("source_ref"), rows.reports),
                "original": known(obj.get("target_ref"), rows.reports),
                "kind": ours.get("derivation", ReportDerivation.Kind.RELAYS),
                "note": ours.get("note", ""),
            }
            if None in (row["report"], row["original"]):
                rows.skipped.append(f"{object_id}: derived-from a report that is not in the bundle")
            else:
                rows.derivations[ours["tracker_id"]] = row
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
            else:
                rows.relations[ours["tracker_id"]] = row
        else:
            rows.skipped.append(f"{object_id}: a relationship this tracker does not record")
    return rows


@dataclass
class Imported:
    claims: int = 0
    sources: int = 0
    reports: int = 0
    attributions: int = 0
    relations: int = 0
    derivations: int = 0
    skipped: list[str] = field(default_factory=list)


_TABLES = [
    ("claims", Claim),
    ("sources", Source),
    ("reports", Report),
    ("attributions", Attribution),
    ("relations", ClaimRelation),
    ("derivations", ReportDerivation),
]


def _taken(rows: BundleRows) -> list[str]:
    problems = []
    for name, model in _TABLES:
        wanted = getattr(rows, name)
        taken = sorted(model.objects.filter(pk__in=list(wanted)).values_list("pk", flat=True)) if wanted else []
        if taken:
            listed = ", ".join(f"#{pk}" for pk in taken[:10]) + (" …" if len(taken) > 10 else "")
            problems.append(f"{model._meta.verbose_name_plural} {listed} exist here already")
    return problems


def _insert(model, pk: int, values: dict, *, by):
    """A row with its own id, validated and recorded in its history (as `services.claim_restore` inserts)."""
    row = model(pk=pk, **{name: value for name, value in values.items() if name not in _STAMPS})
    row.full_clean()
    row._history_user = by
    row.save(force_insert=True)
    return row


@transaction.atomic
def import_bundle(bundle: dict, *, by=None) -> Imported:
    """Load `bundle` (exported by a claimtracker) here. BundleRefused, with nothing written, when its ids are
    taken or a row does not validate (a quote not at its offsets in the report's text, a value out of range)."""
    rows = read_bundle(bundle)
    if problems := _taken(rows):
        raise BundleRefused([*problems, "import a bundle into a database that does not hold these ids"])
    origin = f"STIX bundle {rows.bundle_id}"
    try:
        for pk, values in rows.sources.items():
            _insert(Source, pk, {k: v for k, v in values.items() if k not in ("same_as", "member_of")}, by=by)
        for pk, values in rows.sources.items():
            if values["same_as"] or values["member_of"]:
                source = Source.objects.get(pk=pk)
                source.same_as_id, source.member_of_id = values["same_as"], values["member_of"]
                services.source_save(source=source, by=by)
        for pk, values in rows.reports.items():
            _insert(Report, pk, {**values, "created_by": by}, by=by)
        for pk, values in rows.claims.items():
            _insert(Claim, pk, {**values, "status": Claim.Status.DRAFT, "created_by": by, "updated_by": by}, by=by)
        for pk, values in rows.derivations.items():
            derivation = ReportDerivation(
                pk=pk,
                report_id=values["report"],
                original_id=values["original"],
                kind=values["kind"],
                note=values["note"],
            )
            services.derivation_save(derivation=derivation, by=by)
        for pk, values in rows.attributions.items():
            attribution = Attribution(
                pk=pk,
                claim=Claim.objects.get(pk=values["claim"]),
                source_id=values["source"],
                report_id=values["report"],
                via_id=values["via"],
                **{k: v for k, v in values.items() if k not in ("claim", "source", "report", "via", *_STAMPS)},
            )
            services.attribution_save(attribution=attribution, by=by)
        for pk, values in rows.relations.items():
            relation = ClaimRelation(
                pk=pk,
                from_claim=Claim.objects.get(pk=values["from_claim"]),
                to_claim=Claim.objects.get(pk=values["to_claim"]),
                kind=values["kind"],
                rationale=values["rationale"],
            )
            services.relation_save(relation=relation, by=by)
    except ValidationError as error:
        raise BundleRefused(error.messages) from None
    for claim in Claim.objects.filter(pk__in=list(rows.claims)).order_by("pk"):
        status = rows.claims[claim.pk]["status"]
        if status != Claim.Status.DRAFT:
            claim.status, claim._history_user, claim._change_reason = status, by, WORKFLOW_STEP
            claim.save(update_fields=["status", "updated_at"])
            comment = f"Imported {claim.get_status_display().lower()} from {origin}."
            ClaimTransition.objects.create(
                claim=claim, from_status=Claim.Status.DRAFT, to_status=status, by=by, comment=comment
            )
    services.claims_reweigh(rows.claims)
    # Last: the times every write above moved. They are the exporting tracker's, as the STIX ids are.
    for name, model in (("sources", Source), ("reports", Report), ("claims", Claim), ("attributions", Attribution)):
        for pk, values in getattr(rows, name).items():
            model.objects.filter(pk=pk).update(created_at=values["created_at"], updated_at=values["updated_at"])
    for pk, values in rows.relations.items():
        ClaimRelation.objects.filter(pk=pk).update(created_at=values["created_at"])
    # Rows inserted with their own ids leave PostgreSQL's sequences behind; the next row must not collide.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model for _, model in _TABLES]):
            cursor.execute(statement)
    return Imported(
        claims=len(rows.claims),
        sources=len(rows.sources),
        reports=len(rows.reports),
        attributions=len(rows.attributions),
        relations=len(rows.relations),
        derivations=len(rows.derivations),
        skipped=rows.skipped,
    )
