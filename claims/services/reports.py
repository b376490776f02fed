"""Writes of reports, sources and entities, and what they do to the claims that cite them.

A report's edited text re-anchors every quote in it; a source's regrade
sends the vetted claims citing it back to review. Edits are refused when the
row changed since the editor opened it (`claimtracker.versioning`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.anchoring import Anchor, QuoteNotFound, find_quote
from claims.models import Attribution, Claim, Entity
from claims.services.weighing import claims_citing_chains_through, claims_downstream_of, claims_reweigh
from claimtracker.versioning import bump_versions, claim_version
from sources.models import Report, ReportDerivation, Source


def _save_versioned(instance, *, by, version: int | None) -> None:
    """Validate and save `instance` as `by`; an edit must be of the stored `version` (None: as stored)."""
    instance.full_clean()
    instance._history_user = by
    if instance.pk is not None:
        claim_version(instance, version)
    instance.save()


@transaction.atomic
def source_regraded(*, source: Source, by, previous_reliability: str) -> list[Claim]:
    """A source's reliability changed: every vetted claim it speaks for goes back to review.

    The reliability is half of each of its attributions' grades ("B2" becomes
    "D2"), so the claims were vetted on grades they no longer have. Returns
    the claims sent back.
    """
    reason = f"Reliability of source “{source.label}” changed from {previous_reliability} to {source.reliability}."
    cited = Attribution.objects.filter(source=source).values("claim_id")
    # Whoever has one of its claims open (a reviewer about to vet) saw the old grade: their step is refused.
    bump_versions(Claim.objects.filter(pk__in=cited))
    claims = list(Claim.objects.vetted().filter(pk__in=cited).select_for_update())
    for claim in claims:
        claim._history_user = by
        claim.return_to_review(by=by, reason=reason)
    return claims


@transaction.atomic
def source_save(*, source: Source, by, version: int | None = None) -> list[Claim]:
    """Save a new or edited source as `by`; returns the vetted claims sent back to review.

    The reliability is compared with the stored row's (not with what an
    editor or a revert started from): when it differs, `source_regraded`
    sends the vetted claims citing the source back to review.
    """
    stored = None
    if source.pk is not None:
        rows = Source.objects.select_for_update().filter(pk=source.pk)
        stored = rows.values("reliability", "same_as_id", "member_of_id").first()
    _save_versioned(source, by=by, version=version)
    if stored is None:
        return []
    if (stored["same_as_id"], stored["member_of_id"]) != (source.same_as_id, source.member_of_id):
        claims_reweigh(claims_citing_chains_through(source))  # who counts as one speaker, or one party, changed
    if stored["reliability"] == source.reliability:
        return []
    return source_regraded(source=source, by=by, previous_reliability=stored["reliability"])


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
                _(
                    "The new text no longer contains the quote of claim #%(pk)s: “%(quote)s”. Keep that passage, "
                    "or change the claim's attribution first."
                )
                % {"pk": attribution.claim_id, "quote": _excerpt(attribution.quote)}
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
def report_save(*, report: Report, by, version: int | None = None) -> ReportSaved:
    """Save a new or edited report as `by`, keeping every quote anchored in its text.

    When the body changed, each attribution is re-anchored in the new body
    (body[start:end] == quote stays true); if some quote is no longer found,
    ValidationError names them and nothing is written. A vetted claim whose
    quoted passage itself changed (wording or typography) goes back to
    review; one whose quote merely moved stays vetted.
    """
    if report.pk is None:
        report.created_by = report.created_by or by
        _save_versioned(report, by=by, version=None)
        return ReportSaved(report=report)
    report.full_clean()
    stored = Report.objects.select_for_update().get(pk=report.pk)
    moves = [move for move in report_reanchoring(stored=stored, body=report.body) if move.moved]
    # What each vetted claim was vetted on, and what its quote reads now: kept before the rows change.
    reworded: dict[int, list[str]] = {}
    for move in moves:
        if move.reworded:
            change = f"“{_excerpt(move.attribution.quote)}” now reads “{_excerpt(move.anchor.text)}”"
            reworded.setdefault(move.attribution.claim_id, []).append(change)
    _save_versioned(report, by=by, version=version)
    for move in moves:
        attribution = move.attribution
        attribution.start, attribution.end, attribution.quote = move.anchor.start, move.anchor.end, move.anchor.text
        attribution._history_user = by
        attribution._change_reason = f"re-anchored in the edited text of report #{report.pk}"
        attribution.save(update_fields=["start", "end", "quote", "updated_at"])
    # Whoever has one of these claims open holds the old offsets: their save is refused as stale, with the
    # usual message ("... changed attributions"), rather than failing on offsets that now point elsewhere.
    bump_versions(Claim.objects.filter(pk__in={move.attribution.claim_id for move in moves}), updated_at=timezone.now())
    saved = ReportSaved(report=report, reanchored=len(moves))
    for claim in Claim.objects.vetted().filter(pk__in=reworded).select_for_update():
        claim._history_user = by
        reason = f"Its quoted passage in report “{_excerpt(report.title)}” changed: {'; '.join(reworded[claim.pk])}."
        claim.return_to_review(by=by, reason=reason)
        saved.back_to_review.append(claim)
    return saved


# What a claim's copy (the API) shows of each entity it concerns.
_ENTITY_SHOWN = ["name", "kind", "aliases", "description"]


@transaction.atomic
def entity_save(*, entity: Entity, by, version: int | None = None) -> Entity:
    """Save a new or edited entity as `by`; an edit must be of the stored `version`.

    The claims that concern it show its name, kind, aliases and description:
    when one of those changes, they are fetched again by `updated_since`.
    """
    stored = Entity.objects.filter(pk=entity.pk).values(*_ENTITY_SHOWN).first() if entity.pk else None
    _save_versioned(entity, by=by, version=version)
    if stored is not None and any(stored[name] != getattr(entity, name) for name in _ENTITY_SHOWN):
        Claim.objects.filter(entities=entity).update(updated_at=timezone.now())
    return entity


@transaction.atomic
def derivation_save(*, derivation: ReportDerivation, by) -> ReportDerivation:
    """Record (or edit) that a report derives from another; the claims it carries are weighed again.

    Refused (ValidationError, nothing written) when it would make a report derive from itself.
    """
    derivation.full_clean()
    previous = ReportDerivation.objects.filter(pk=derivation.pk).values_list("report_id", flat=True).first()
    derivation._history_user = by
    derivation.save()
    affected = claims_downstream_of(derivation.report_id)
    if previous is not None and previous != derivation.report_id:
        affected |= claims_downstream_of(previous)
    claims_reweigh(affected)
    return derivation


@transaction.atomic
def derivation_delete(*, derivation: ReportDerivation, by) -> None:
    affected = claims_downstream_of(derivation.report_id)
    derivation._history_user = by
    derivation.delete()
    claims_reweigh(affected)
