"""Writes of claims: save, workflow steps, delete and restore."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claims.anchoring import QuoteNotFound, find_quote
from claims.models import Attribution, Claim, ClaimRelation, ClaimTransition, Entity
from claims.services.weighing import claims_reweigh
from claimtracker.versioning import StaleEdit, changes_since, check_version, claim_version
from sources.models import Report, Source

# Fields whose change alters what a vetted claim asserts or how sure we are of it.
SUBSTANTIVE_CLAIM_FIELDS = set(Claim.CONTENT_FIELDS)
BACK_TO_REVIEW = "Substance changed after vetting (statement, evidence or grades)."
# What a stale editor is told changed under them: the substance, the status and the entities.
_REPORTED_CLAIM_FIELDS = [*sorted(SUBSTANTIVE_CLAIM_FIELDS), "status", "entities"]

# What a claim's save writes: everything but its key and its weight (`claims.services.weighing`).
_EDITED_FIELDS = [
    field.name
    for field in Claim._meta.concrete_fields
    if not field.primary_key and field.name not in Claim.WEIGHT_FIELDS
]

# The one name for a refused stale save; claims kept theirs for the callers that catch it.
StaleClaim = StaleEdit


def _attribution_changes(claim: Claim, first_newer) -> tuple[list[str], list]:
    """A claim's stale message counts its attributions as one field: any added, changed or removed since."""
    changes = Attribution.history.filter(claim_id=claim.pk, history_date__gte=first_newer.history_date)
    if not changes.exists():
        return [], []
    return ["attributions"], [record.history_user for record in changes.select_related("history_user")]


def claim_changes_since(*, claim: Claim, version: int) -> tuple[list[str], list[str]]:
    """What changed in the claim after `version`, and who changed it: (field labels, usernames)."""
    return changes_since(claim, version, fields=_REPORTED_CLAIM_FIELDS, companions=_attribution_changes)


def claim_check_version(*, claim: Claim, version: int) -> None:
    """Refuse (StaleClaim) a save based on `version` when the stored claim is newer, or gone."""
    check_version(claim, version, fields=_REPORTED_CLAIM_FIELDS, companions=_attribution_changes)


def lock_claim(claim: Claim, *, version: int | None = None) -> Claim:
    """The claim's row, locked for the rest of the transaction; refused (StaleClaim) if newer than `version`."""
    locked = Claim.objects.select_for_update().filter(pk=claim.pk).first()
    if locked is None:
        raise StaleClaim(claim, [], [], deleted=True)
    if version is not None and locked.version != version:
        raise StaleClaim(claim, *claim_changes_since(claim=claim, version=version))
    return locked


@transaction.atomic
def claim_save(*, claim: Claim, by, version: int | None = None) -> Claim:
    """Save a new or edited claim as `by`, refusing stale edits.

    `version` is the version the editor started from; the row is updated only
    if it still has it (compare-and-swap, see `claimtracker.versioning`), so
    of two concurrent saves the second is refused with `StaleClaim` and
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
    claim_version(claim, version, fields=_REPORTED_CLAIM_FIELDS, companions=_attribution_changes)
    stored = Claim.objects.filter(pk=claim.pk).values("status", *SUBSTANTIVE_CLAIM_FIELDS).get()
    claim.status = stored["status"]
    # The weight is the weighing service's to write: an editor's instance may hold an older one.
    claim.save(update_fields=_EDITED_FIELDS)
    if any(getattr(claim, name) != stored[name] for name in SUBSTANTIVE_CLAIM_FIELDS):
        claim.return_to_review(by=by, reason=BACK_TO_REVIEW)
    return claim


def claim_evidence_changed(*, claim: Claim, by, reason: str = BACK_TO_REVIEW) -> ClaimTransition | None:
    """The claim's evidence changed (an attribution or relation was written): whoever has it open holds a
    stale version, and a vetted claim goes back to review (`Transition.RETURN_TO_REVIEW`) when `reason`.

    Callers are the evidence services, inside their transaction. Refreshes
    `claim`'s status and version.
    """
    locked = lock_claim(claim)
    claim_version(locked, None)
    locked._history_user = by
    step = locked.return_to_review(by=by, reason=reason) if reason else None
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
    locked = lock_claim(claim, version=version)
    locked._history_user = by
    step = locked.apply_transition(action, by=by, comment=comment)
    claim.status, claim.version, claim.updated_at = locked.status, locked.version, locked.updated_at
    return step


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
        status = claim.get_status_display().lower()
        raise ValidationError(_("A %(status)s claim cannot be deleted; retract it.") % {"status": status})
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
        raise ValidationError(
            _("Claim #%(pk)s exists; revert it to this version from its history instead.") % {"pk": record.id}
        )
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
            restored.left_out.append(_("attribution #%(pk)s: its source or report is gone") % {"pk": old.id})
            continue
        # The report's text may have been edited since: anchor the quote in the text as it is now.
        body = Report.objects.values_list("body", flat=True).get(pk=old.report_id)
        try:
            anchor = find_quote(body, attribution.quote, near=attribution.start)
        except QuoteNotFound:
            restored.left_out.append(
                _("attribution #%(pk)s: its quote is no longer in the report's text") % {"pk": old.id}
            )
            continue
        attribution.start, attribution.end, attribution.quote = anchor.start, anchor.end, anchor.text
        attribution._history_user, attribution._change_reason = by, f"restored with claim #{claim.pk}"
        attribution.save(force_insert=True)
        restored.attributions += 1
    for old in _deleted_with_claim(ClaimRelation, claim.pk):
        relation = old.instance
        if not Claim.objects.filter(pk=old.to_claim_id).exists():
            restored.left_out.append(_("relation to claim #%(pk)s: that claim is gone") % {"pk": old.to_claim_id})
            continue
        relation._history_user, relation._change_reason = by, f"restored with claim #{claim.pk}"
        try:
            relation.full_clean()
        except ValidationError as error:
            reasons = "; ".join(error.messages)
            restored.left_out.append(
                _("relation to claim #%(pk)s: %(reasons)s") % {"pk": old.to_claim_id, "reasons": reasons}
            )
            continue
        relation.save(force_insert=True)
        restored.relations += 1
    claims_reweigh([claim.pk])
    return restored
