"""Writes of a claim's evidence: its attributions and its relations to other claims.

Every writer (the admin's inlines, the demo loader, imports) goes through
these, so one rule holds everywhere: a change of evidence makes open editors
of the claim stale, and a vetted claim whose attributions changed in
substance goes back to review.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from claims.models import Attribution, Claim, ClaimRelation
from claims.services.claims import BACK_TO_REVIEW, claim_evidence_changed
from claims.services.weighing import claims_reweigh

SUBSTANTIVE_ATTRIBUTION_FIELDS = Attribution.SUBSTANTIVE_FIELDS


def _stored_values(instance, names: list[str]) -> dict | None:
    if instance.pk is None:
        return None
    columns = [instance._meta.get_field(name).attname for name in names]
    return type(instance).objects.filter(pk=instance.pk).values(*columns).first()


def attribution_changes(attribution: Attribution) -> list[str]:
    """The substantive fields in which `attribution` differs from its stored row (all of them when new)."""
    stored = _stored_values(attribution, SUBSTANTIVE_ATTRIBUTION_FIELDS)
    if stored is None:
        return list(SUBSTANTIVE_ATTRIBUTION_FIELDS)
    columns = [attribution._meta.get_field(name).attname for name in SUBSTANTIVE_ATTRIBUTION_FIELDS]
    return [
        name
        for name, column in zip(SUBSTANTIVE_ATTRIBUTION_FIELDS, columns, strict=True)
        if getattr(attribution, column) != stored[column]
    ]


@transaction.atomic
def attribution_save(*, attribution: Attribution, by) -> Attribution:
    """Save a new or edited attribution as `by`, its quote anchored in its report.

    Raises ValidationError (nothing written) when the quote is not in the
    report or a field is out of range.
    """
    attribution.full_clean()
    changed = attribution_changes(attribution)
    attribution._history_user = by
    attribution.save()
    if changed:
        claim_evidence_changed(claim=attribution.claim, by=by, reason=BACK_TO_REVIEW)
        claims_reweigh([attribution.claim_id])
    return attribution


@transaction.atomic
def attribution_delete(*, attribution: Attribution, by, reason: str = "") -> None:
    claim = attribution.claim
    attribution._history_user = by
    if reason:
        attribution._change_reason = reason
    attribution.delete()
    claim_evidence_changed(claim=claim, by=by, reason=BACK_TO_REVIEW)
    claims_reweigh([claim.pk])


def _relation_changed(relation: ClaimRelation) -> None:
    """Each end lists the relation (with the other end's statement): its copy must be fetched again.

    Except a vetted end whose other end is not vetted: a consumer never saw
    that relation, and a new `updated_at` would tell them unvetted work exists.
    """
    vetted = set(
        Claim.objects.filter(pk__in=[relation.from_claim_id, relation.to_claim_id])
        .vetted()
        .values_list("pk", flat=True)
    )
    for end, other in ((relation.from_claim_id, relation.to_claim_id), (relation.to_claim_id, relation.from_claim_id)):
        if end not in vetted or other in vetted:
            Claim.objects.filter(pk=end).update(updated_at=timezone.now())


@transaction.atomic
def relation_save(*, relation: ClaimRelation, by) -> ClaimRelation:
    """Save a new or edited relation between two claims as `by`.

    Relations are not substance (a vetted claim stays vetted), but the
    claims at both ends change for whoever has them open.
    """
    relation.full_clean()
    relation._history_user = by
    relation.save()
    for claim in (relation.from_claim, relation.to_claim):
        claim_evidence_changed(claim=claim, by=by, reason="")
    _relation_changed(relation)
    return relation


@transaction.atomic
def relation_delete(*, relation: ClaimRelation, by, reason: str = "") -> None:
    ends = (relation.from_claim, relation.to_claim)
    relation._history_user = by
    if reason:
        relation._change_reason = reason
    relation.delete()
    for claim in ends:
        claim_evidence_changed(claim=claim, by=by, reason="")
    _relation_changed(relation)
