"""Writes: one place that the admin, the pages, the API and the scripts call."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.anchoring import Anchor, QuoteNotFound, find_quote
from claims.models import Attribution, Claim, ClaimRelation, ClaimTransition, Entity
from sources.models import Report, Source

# Fields whose change alters what a vetted claim asserts or how sure we are of it.
SUBSTANTIVE_CLAIM_FIELDS = {
    "statement",
    "original_wording",
    "kind",
    "about_date",
    "about_precision",
    "about_text",
    "likelihood",
    "confidence",
}
SUBSTANTIVE_ATTRIBUTION_FIELDS = {
    "quote",
    "source",
    "report",
    "start",
    "end",
    "mode",
    "hedged",
    "stance",
    "credibility",
}
_BACK_TO_REVIEW = "Substance changed after vetting (statement, evidence or grades)."
# What a stale editor is told changed under them, besides the entities: the substance and the status.
_REPORTED_CLAIM_FIELDS = [*sorted(SUBSTANTIVE_CLAIM_FIELDS), "status"]


class StaleClaim(Exception):
    """The claim changed since the editor loaded it; their save would overwrite someone's work."""

    def __init__(self, claim_pk: int, changed_fields: list[str], changed_by: list[str], *, deleted: bool = False):
        self.claim_pk = claim_pk
        self.changed_fields = changed_fields
        self.changed_by = changed_by
        if deleted:
            super().__init__(
                f"Someone else deleted claim #{claim_pk} since you opened it. Your changes were not saved."
            )
            return
        who = ", ".join(changed_by) or "another user"
        what = ", ".join(changed_fields) or "it"
        super().__init__(
            f"Someone else changed claim #{claim_pk} since you opened it ({who} changed {what}). "
            "Your changes were not saved, so nothing of theirs was overwritten: "
            "reload the claim to see their version, then redo yours."
        )


def claim_changes_since(*, claim_pk: int, version: int) -> tuple[list[str], list[str]]:
    """What changed in the claim after `version`, and who changed it, read from the history.

    Returns (field names, usernames). Attributions count as one field: any of
    them added, changed or removed since then.
    """
    history = Claim.history.filter(id=claim_pk)
    newer = list(history.filter(version__gt=version).select_related("history_user").order_by("history_date"))
    if not newer:
        return [], []
    # A version's last record: m2m changes (entities) add records without a new version.
    loaded = history.filter(version=version).order_by("history_date").last()
    fields = []
    if loaded is not None:
        latest = newer[-1]
        changed = [name for name in _REPORTED_CLAIM_FIELDS if getattr(latest, name) != getattr(loaded, name)]
        changed += latest.diff_against(loaded, included_fields=["entities"]).changed_fields
        fields = [str(Claim._meta.get_field(name).verbose_name) for name in changed]
    attribution_changes = Attribution.history.filter(claim_id=claim_pk, history_date__gte=newer[0].history_date)
    if attribution_changes.exists():
        fields.append("attributions")
    users = [record.history_user for record in newer] + [
        record.history_user for record in attribution_changes.select_related("history_user")
    ]
    names = sorted({user.get_username() for user in users if user is not None})
    return fields, names


def claim_check_version(*, claim: Claim, version: int) -> None:
    """Refuse a save based on `version` when the stored claim is newer (or gone)."""
    stored = Claim.objects.filter(pk=claim.pk).values_list("version", flat=True).first()
    if stored is None:
        raise StaleClaim(claim.pk, [], [], deleted=True)
    if stored != version:
        raise StaleClaim(claim.pk, *claim_changes_since(claim_pk=claim.pk, version=version))


@transaction.atomic
def claim_save(*, claim: Claim, by, version: int | None = None) -> Claim:
    """Save a new or edited claim as `by`, refusing stale edits.

    `version` is the version the editor started from; the row is updated only
    if it still has it (compare-and-swap, one UPDATE ... WHERE version = %s),
    so of two concurrent saves the second is refused with `StaleClaim` and
    nothing is written. The status never changes here (only transitions move
    it), except that a vetted claim whose substance changed goes back to review.
    """
    claim.full_clean()
    claim.updated_by = by
    claim._history_user = by
    if claim.pk is None:
        claim.created_by = claim.created_by or by
        claim.status = Claim.Status.DRAFT
        claim.save()
        return claim
    current = Claim.objects.filter(pk=claim.pk)
    if version is not None:
        if not current.filter(version=version).update(version=F("version") + 1):
            claim_check_version(claim=claim, version=version)  # raises: someone saved first
    elif not current.update(version=F("version") + 1):
        raise StaleClaim(claim.pk, [], [], deleted=True)
    stored = current.values("version", "status", *SUBSTANTIVE_CLAIM_FIELDS).get()
    claim.version, claim.status = stored["version"], stored["status"]
    claim.save()
    if any(getattr(claim, name) != stored[name] for name in SUBSTANTIVE_CLAIM_FIELDS):
        claim.return_to_review(by=by, reason=_BACK_TO_REVIEW)
    return claim


@transaction.atomic
def claim_substance_changed(*, claim: Claim, by) -> ClaimTransition | None:
    """A vetted claim whose statement, attributions or grades changed goes back to review.

    Consumers keep no stale "vetted" copy: the claim leaves the API until a
    reviewer vets it again.
    """
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    locked._history_user = by
    step = locked.return_to_review(by=by, reason=_BACK_TO_REVIEW)
    claim.status, claim.version, claim.updated_at = locked.status, locked.version, locked.updated_at
    return step


@transaction.atomic
def claim_transition(
    *, claim: Claim, action: str, by, comment: str = "", version: int | None = None
) -> ClaimTransition:
    """Take a workflow step (submit, vet, reject, reopen, retract) on a locked row.

    With `version` (the version the user was looking at), a step on a claim
    that changed since is refused with `StaleClaim`: nobody vets what they
    have not seen.
    """
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if version is not None and locked.version != version:
        raise StaleClaim(claim.pk, *claim_changes_since(claim_pk=claim.pk, version=version))
    locked._history_user = by
    step = locked.apply_transition(action, by=by, comment=comment)
    claim.status, claim.version, claim.updated_at = locked.status, locked.version, locked.updated_at
    return step


@transaction.atomic
def source_regraded(*, source: Source, by, previous_reliability: str) -> list[Claim]:
    """A source's reliability changed: every vetted claim it speaks for goes back to review.

    The reliability is half of each of its attributions' grades ("B2" becomes
    "D2"), so the claims were vetted on grades they no longer have. Returns
    the claims sent back.
    """
    reason = f"Reliability of source “{source.label}” changed from {previous_reliability} to {source.reliability}."
    cited = Attribution.objects.filter(source=source).values("claim_id")
    claims = list(Claim.objects.vetted().filter(pk__in=cited).select_for_update())
    for claim in claims:
        claim._history_user = by
        claim.return_to_review(by=by, reason=reason)
    return claims


@transaction.atomic
def source_save(*, source: Source, by) -> list[Claim]:
    """Save a new or edited source as `by`; returns the vetted claims sent back to review.

    The reliability is compared with the stored row's (not with what an
    editor or a revert started from): when it differs, `source_regraded`
    sends the vetted claims citing the source back to review.
    """
    source.full_clean()
    source._history_user = by
    stored = None
    if source.pk is not None:
        stored = Source.objects.select_for_update().filter(pk=source.pk).values_list("reliability", flat=True).first()
    source.save()
    if stored is None or stored == source.reliability:
        return []
    return source_regraded(source=source, by=by, previous_reliability=stored)


@dataclass(frozen=True)
class Reanchored:
    """Where an attribution's quote lies in a report's new text."""

    attribution: Attribution
    anchor: Anchor

    @property
    def moved(self) -> bool:
        old = self.attribution
        return (old.start, old.end, old.quote) != (self.anchor.start, self.anchor.end, self.anchor.text)

    @property
    def reworded(self) -> bool:
        """The quoted passage itself changed (wording or typography), not merely its offsets."""
        return self.anchor.text != self.attribution.quote


def _excerpt(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def report_reanchoring(*, stored: Report, body: str) -> list[Reanchored]:
    """Where each attribution of `stored` (the report as saved) lies in `body`, its edited text.

    Writes nothing. Raises ValidationError naming, by claim, every quote that
    `body` no longer contains. Each quote is searched from where it should be
    now: one edit region is assumed (the common prefix and suffix of the two
    texts), so a quote after the edit is looked for at its old offset
    shifted by the change in length, which keeps a repeated quote on its
    own occurrence.
    """
    old = stored.body
    if body == old:
        return []
    prefix = next((i for i, (a, b) in enumerate(zip(old, body, strict=False)) if a != b), min(len(old), len(body)))
    suffix = 0
    while suffix < min(len(old), len(body)) - prefix and old[-1 - suffix] == body[-1 - suffix]:
        suffix += 1
    shift = len(body) - len(old)
    found, lost = [], []
    for attribution in Attribution.objects.filter(report=stored).in_text_order():
        after_edit = attribution.start >= len(old) - suffix
        near = attribution.start + shift if after_edit else attribution.start
        try:
            found.append(Reanchored(attribution, find_quote(body, attribution.quote, near=near)))
        except QuoteNotFound:
            lost.append(
                f"The new text no longer contains the quote of claim #{attribution.claim_id}: "
                f"“{_excerpt(attribution.quote)}”. Keep that passage, or change the claim's attribution first."
            )
    if lost:
        raise ValidationError(lost, code="quote_lost")
    return found


@dataclass
class ReportSaved:
    report: Report
    reanchored: int = 0
    back_to_review: list[Claim] = field(default_factory=list)


@transaction.atomic
def report_save(*, report: Report, by) -> ReportSaved:
    """Save a new or edited report as `by`, keeping every quote anchored in its text.

    When the body changed, each attribution is re-anchored in the new body
    (body[start:end] == quote stays true); if some quote is no longer found,
    ValidationError names them and nothing is written. A vetted claim whose
    quoted passage itself changed (wording or typography) goes back to
    review; one whose quote merely moved stays vetted.
    """
    report.full_clean()
    report._history_user = by
    if report.pk is None:
        report.created_by = report.created_by or by
        report.save()
        return ReportSaved(report=report)
    stored = Report.objects.select_for_update().get(pk=report.pk)
    moves = [move for move in report_reanchoring(stored=stored, body=report.body) if move.moved]
    # What each vetted claim was vetted on, and what its quote reads now: kept before the rows change.
    reworded: dict[int, list[str]] = {}
    for move in moves:
        if move.reworded:
            change = f"“{_excerpt(move.attribution.quote)}” now reads “{_excerpt(move.anchor.text)}”"
            reworded.setdefault(move.attribution.claim_id, []).append(change)
    report.save()
    for move in moves:
        attribution = move.attribution
        attribution.start, attribution.end, attribution.quote = move.anchor.start, move.anchor.end, move.anchor.text
        attribution._history_user = by
        attribution._change_reason = f"re-anchored in the edited text of report #{report.pk}"
        attribution.save(update_fields=["start", "end", "quote", "updated_at"])
    # Whoever has one of these claims open holds the old offsets: their save is refused as stale, with the
    # usual message ("... changed attributions"), rather than failing on offsets that now point elsewhere.
    Claim.objects.filter(pk__in={move.attribution.claim_id for move in moves}).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    saved = ReportSaved(report=report, reanchored=len(moves))
    for claim in Claim.objects.vetted().filter(pk__in=reworded).select_for_update():
        claim._history_user = by
        reason = f"Its quoted passage in report “{_excerpt(report.title)}” changed: {'; '.join(reworded[claim.pk])}."
        claim.return_to_review(by=by, reason=reason)
        saved.back_to_review.append(claim)
    return saved


@transaction.atomic
def entity_save(*, entity: Entity, by) -> Entity:
    """Save a new or edited entity as `by` (the admin has checked it was not changed meanwhile)."""
    entity.full_clean()
    entity._history_user = by
    entity.save()
    return entity


def _deleted_with(claim_pk: int) -> str:
    return f"deleted with claim #{claim_pk}"


@transaction.atomic
def claim_delete(*, claim: Claim, by) -> None:
    """Delete a draft or rejected claim with its attributions and outgoing relations.

    Each is deleted explicitly, marked in its history as deleted with the
    claim, so that `claim_restore` brings back exactly what went with it.
    Vetted and in-review claims are retracted or rejected, never deleted.
    """
    if not claim.can_be_deleted:
        raise ValidationError(f"A {claim.get_status_display().lower()} claim cannot be deleted; retract it.")
    reason = _deleted_with(claim.pk)
    for dependent in [*claim.attributions.all(), *claim.outgoing_relations.all()]:
        dependent._history_user, dependent._change_reason = by, reason
        dependent.delete()
    claim._history_user = by
    claim.delete()


@dataclass
class Restored:
    claim: Claim
    attributions: int = 0
    relations: int = 0
    left_out: list[str] = field(default_factory=list)


def _deleted_with_claim(model, claim_pk: int) -> list:
    """The last deletion records of the `model` rows deleted with the claim and not back since."""
    records = model.history.filter(history_change_reason=_deleted_with(claim_pk), history_type="-")
    latest = {record.id: record for record in records.order_by("history_date")}
    existing = set(model.objects.filter(pk__in=latest).values_list("pk", flat=True))
    return [record for pk, record in latest.items() if pk not in existing]


@transaction.atomic
def claim_restore(*, history_id: int, by) -> Restored:
    """Bring back a deleted claim as it was in historical record `history_id`, with its evidence.

    The attributions and relations deleted with it come back as they were
    when it was deleted, unless what they point at is gone too (then they
    are listed in `left_out`). The claim keeps the status it had when it was
    deleted (draft or rejected) and its version goes on from there.
    """
    record = Claim.history.get(history_id=history_id)
    if Claim.objects.filter(pk=record.id).exists():
        raise ValidationError(f"Claim #{record.id} exists; revert it to this version from its history instead.")
    deletion = Claim.history.filter(id=record.id, history_type="-").latest("history_date")
    claim = record.instance
    claim.status, claim.version, claim.updated_by = deletion.status, deletion.version + 1, by
    claim._history_user, claim._change_reason = by, f"restored from history #{history_id}"
    claim.full_clean(validate_unique=False)
    claim.save(force_insert=True)
    # A deletion record holds no entities (they were unlinked first): take them from the record before it.
    with_entities = (
        Claim.history.filter(id=record.id, history_date__lte=record.history_date).exclude(history_type="-").latest()
    )
    claim.entities.set(Entity.objects.filter(pk__in=with_entities.entities.values("entity_id")))
    restored = Restored(claim=claim)

    for old in _deleted_with_claim(Attribution, claim.pk):
        attribution = old.instance
        if not (Source.objects.filter(pk=old.source_id).exists() and Report.objects.filter(pk=old.report_id).exists()):
            restored.left_out.append(f"attribution #{old.id}: its source or report is gone")
            continue
        # The report's text may have been edited since: anchor the quote in the text as it is now.
        body = Report.objects.values_list("body", flat=True).get(pk=old.report_id)
        try:
            anchor = find_quote(body, attribution.quote, near=attribution.start)
        except QuoteNotFound:
            restored.left_out.append(f"attribution #{old.id}: its quote is no longer in the report's text")
            continue
        attribution.start, attribution.end, attribution.quote = anchor.start, anchor.end, anchor.text
        attribution._history_user, attribution._change_reason = by, f"restored with claim #{claim.pk}"
        attribution.save(force_insert=True)
        restored.attributions += 1
    for old in _deleted_with_claim(ClaimRelation, claim.pk):
        relation = old.instance
        if not Claim.objects.filter(pk=old.to_claim_id).exists():
            restored.left_out.append(f"relation to claim #{old.to_claim_id}: that claim is gone")
            continue
        relation._history_user, relation._change_reason = by, f"restored with claim #{claim.pk}"
        try:
            relation.full_clean()
        except ValidationError as error:
            restored.left_out.append(f"relation to claim #{old.to_claim_id}: {'; '.join(error.messages)}")
            continue
        relation.save(force_insert=True)
        restored.relations += 1
    return restored
