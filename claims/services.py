"""Writes: one place that the admin, the pages, the API and the scripts call."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from claims.models import Claim, ClaimTransition

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


class StaleClaim(Exception):
    """The claim changed since the editor loaded it; their save would overwrite someone's work."""

    def __init__(self, claim: Claim, changed_fields: list[str], changed_by):
        self.claim = claim
        self.changed_fields = changed_fields
        self.changed_by = changed_by
        who = getattr(changed_by, "username", None) or "someone else"
        fields = ", ".join(changed_fields) or "its attributions or status"
        super().__init__(
            f"{who} changed this claim at {claim.updated_at:%Y-%m-%d %H:%M} UTC since you opened it "
            f"(changed: {fields}). Your changes were not saved: reload the claim to see theirs, then redo yours."
        )


def claim_changes_since(claim: Claim, version: int) -> list[str]:
    """Names of the fields that differ between version `version` of the claim (from history) and now."""
    fields = sorted(SUBSTANTIVE_CLAIM_FIELDS)
    old = claim.history.filter(version=version).order_by("history_date").last()
    if old is None:
        return []
    current = Claim.objects.get(pk=claim.pk)
    return sorted(name for name in fields if getattr(old, name) != getattr(current, name))


def claim_check_version(*, claim: Claim, version: int) -> None:
    """Refuse a save based on `version` when the stored claim is newer."""
    current = Claim.objects.filter(pk=claim.pk).values("version", "updated_by").first()
    if current is not None and current["version"] != version:
        from django.contrib.auth import get_user_model

        by = get_user_model().objects.filter(pk=current["updated_by"]).first()
        stored = Claim.objects.get(pk=claim.pk)
        raise StaleClaim(stored, claim_changes_since(stored, version), by)


@transaction.atomic
def claim_save(*, claim: Claim, by, version: int | None = None) -> Claim:
    """Save a new, edited or restored claim as `by`, refusing stale edits.

    `version` is the version the editor started from; the row is updated only
    if it still has it (compare-and-swap), so of two concurrent saves the
    second is refused with `StaleClaim` and nothing is written.
    """
    claim.full_clean()
    claim.updated_by = by
    if claim.pk is None or not Claim.objects.filter(pk=claim.pk).exists():
        claim.created_by = claim.created_by or by
        claim.save()
        return claim
    if version is not None:
        claim_check_version(claim=claim, version=version)
        swapped = Claim.objects.filter(pk=claim.pk, version=version).update(version=F("version") + 1)
        if not swapped:  # lost a race between the check and the update
            claim_check_version(claim=claim, version=version)
    else:
        Claim.objects.filter(pk=claim.pk).update(version=F("version") + 1)
    claim.version = Claim.objects.values_list("version", flat=True).get(pk=claim.pk)
    claim.save()
    return claim


@transaction.atomic
def claim_substance_changed(*, claim: Claim, by) -> None:
    """A vetted claim whose statement, attributions or grades changed goes back to review.

    Consumers keep no stale "vetted" copy: the claim leaves the API until a
    reviewer vets it again.
    """
    claim.return_to_review(by=by, reason="Substance changed after vetting (statement, evidence or grades).")


@transaction.atomic
def claim_transition(*, claim: Claim, action: str, by, comment: str = "") -> ClaimTransition:
    """Take a workflow step (submit, vet, reject, reopen, retract) on a locked row."""
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    step = locked.apply_transition(action, by=by, comment=comment)
    claim.status, claim.version, claim.updated_at = locked.status, locked.version, locked.updated_at
    return step
