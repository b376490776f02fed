"""Proposed attributions for a stored report: what `suggest_attributions` prints and the admin's
"Propose attributions" page lists.

`claims.extraction` reads a text (pure); this gives it what the database
knows (the report's outlet, the existing sources to match, the existing
claims to rank as similar) and leaves out what is already recorded.

A proposal is **already recorded** when the report has an attribution on
the same span, or on an overlapping span through the same source (the
existing source the proposal was matched to). So an accepted proposal is not
proposed again, nor one an analyst recorded by hand over part of the same
passage with the same speaker; a proposal whose passage another attribution
overlaps through another source (a second speaker in the same sentence) is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from claims import similarity
from claims.extraction import Proposal, propose_attributions
from claims.models import Attribution, Claim
from sources.models import Report, Source

# An attribution of the report as the recorded check sees it: (id, start, end, source id).
Recorded = tuple[int, int, int, int]


def similar_claims_ranker() -> Callable[..., list[int]]:
    """Ranks existing claims (not rejected or retracted) by their wording and the entities they concern."""
    texts = {
        pk: f"{statement}\n{original}"
        for pk, statement, original in Claim.objects.exclude(
            status__in=[Claim.Status.REJECTED, Claim.Status.RETRACTED]
        ).values_list("pk", "statement", "original_wording")
    }
    entities: dict[int, dict[int, tuple[str, ...]]] = {pk: {} for pk in texts}
    links = Claim.entities.through.objects.filter(claim_id__in=texts).values_list(
        "claim_id", "entity_id", "entity__name", "entity__aliases"
    )
    for claim_id, entity_id, name, aliases in links:
        entities[claim_id][entity_id] = (name, *(alias.strip() for alias in aliases.splitlines() if alias.strip()))
    candidates = [similarity.Candidate(pk, text, entities[pk]) for pk, text in texts.items()]
    return similarity.ranker(candidates)


def propose_for(report: Report, *, sources: Iterable[Source] | None = None) -> list[Proposal]:
    """The proposals for a stored report: its outlet's voice, the existing sources (`sources`, all of them
    when not given), the similar claims."""
    if sources is None:
        existing = list(Source.objects.values_list("pk", "label", "kind", "description"))
    else:
        existing = [(source.pk, source.label, source.kind, source.description) for source in sources]
    return propose_attributions(
        report.body, report.language, outlet=report.outlet, sources=existing, similar=similar_claims_ranker()
    )


def recorded_attributions(report: Report) -> list[Recorded]:
    return list(Attribution.objects.filter(report=report).values_list("pk", "start", "end", "source_id"))


def recorded_as(start: int, end: int, source_id: int | None, recorded: Sequence[Recorded]) -> int | None:
    """The attribution that already records the passage `start:end` said by `source_id` (see the module's
    docstring), or None."""
    for pk, other_start, other_end, other_source in recorded:
        if (other_start, other_end) == (start, end):
            return pk
        if source_id is not None and other_source == source_id and other_start < end and start < other_end:
            return pk
    return None


@dataclass
class Proposed:
    """What the "Propose attributions" page shows: the proposals not yet recorded, how many were, and the
    sources (every one, read once: matched against and offered in each row's choice)."""

    proposals: list[Proposal]
    recorded: int = 0
    sources: list[Source] = field(default_factory=list)


def unrecorded_proposals(report: Report) -> Proposed:
    """The report's proposals, less those already recorded. Four queries, whatever their number."""
    sources = list(Source.objects.all())
    recorded = recorded_attributions(report)
    proposals = propose_for(report, sources=sources)
    fresh = [p for p in proposals if recorded_as(p.start, p.end, p.source_id, recorded) is None]
    return Proposed(proposals=fresh, recorded=len(proposals) - len(fresh), sources=sources)
