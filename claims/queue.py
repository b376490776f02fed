"""The review queue: what awaits each user, in SQL, so that the page's queries do not grow with it.

A reviewer's queue holds the claims in review that the four-eyes rule lets
them vet: not drafted by them, and not changed by them (the claim, its
attributions, or a source those cite) since the claim was last vetted.
That is `Claim.authors_since_last_vetted` (read per claim, from the
history) written as `NOT EXISTS` conditions over the same history tables;
a test checks that the two agree. An analyst's queue holds their own drafts
and the claims of theirs a reviewer rejected, with the reason.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from claims.models import WORKFLOW_STEP, Attribution, Claim, ClaimTransition
from sources.models import Source

Status = Claim.Status
# Before any vetting: the whole history counts.
_DAWN = datetime(1970, 1, 1, tzinfo=UTC)


def _latest(claim_ref: str, to_status: str, field: str = "at") -> Subquery:
    steps = ClaimTransition.objects.filter(claim_id=OuterRef(claim_ref), to_status=to_status).order_by("-at", "-pk")
    return Subquery(steps.values(field)[:1])


def awaiting_review_by(user) -> QuerySet[Claim]:
    """Claims in review that `user` may vet or reject now, the longest waiting first."""
    if not user.has_perm("claims.vet_claim"):
        return Claim.objects.none()
    claims = Claim.objects.in_review().annotate(
        since=Coalesce(_latest("pk", Status.VETTED), Value(_DAWN)),
        submitted=_latest("pk", Status.IN_REVIEW),
    )
    changed_claim = (
        Claim.history.filter(id=OuterRef("pk"), history_user=user, history_date__gt=OuterRef("since"))
        .exclude(history_change_reason=WORKFLOW_STEP)
        .order_by()
    )
    changed_evidence = Attribution.history.filter(
        claim_id=OuterRef("pk"), history_user=user, history_date__gt=OuterRef("since")
    ).order_by()
    cited = Attribution.objects.filter(claim_id=OuterRef(OuterRef("pk"))).values("source_id")
    regraded_source = Source.history.filter(
        id__in=cited, history_user=user, history_date__gt=OuterRef("since")
    ).order_by()
    return (
        claims.exclude(created_by=user)
        .exclude(updated_by=user)
        .exclude(Exists(changed_claim))
        .exclude(Exists(changed_evidence))
        .exclude(Exists(regraded_source))
        .order_by(F("submitted").asc(nulls_first=True), "pk")
    )


def to_rework_by(user) -> QuerySet[Claim]:
    """`user`'s own drafts, and their claims a reviewer rejected (with the reason), the oldest first."""
    if not user.has_perm("claims.submit_claim"):
        return Claim.objects.none()
    return (
        Claim.objects.filter(created_by=user, status__in=[Status.DRAFT, Status.REJECTED])
        .annotate(
            rejection=_latest("pk", Status.REJECTED, "comment"),
            rejected_at=_latest("pk", Status.REJECTED),
        )
        .order_by("updated_at", "pk")
    )
