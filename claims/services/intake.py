"""Accepting proposed attributions (`claims.intake`): the drafts an analyst ticked, written all or nothing.

Each accepted proposal becomes an attribution of the report, through an
existing source or a new one, of a new draft claim or as evidence for an
existing claim, written through the same services as a hand-made one
(`source_save`, `claim_save`, `attribution_save`): the same checks, the same
history, the same "back to review" for a vetted claim given new evidence.
One transaction: when one draft is refused, nothing is written and
`ProposalRefused` says which and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.intake import recorded_as, recorded_attributions
from claims.models import QUOTE_LIMIT, Attribution, Claim
from claims.services.claims import claim_save
from claims.services.evidence import attribution_save
from claims.services.reports import source_save
from claimtracker.versioning import StaleEdit
from sources.models import Report, Source


@dataclass(frozen=True)
class NewSource:
    """A source to create: the label the analyst gave, its kind and reliability, and the description as
    the report words it."""

    label: str
    kind: str
    reliability: str = Source.Reliability.F
    description: str = ""


@dataclass(frozen=True)
class ProposalDraft:
    """A proposal as the analyst accepts it. `number` is its number on the page, for messages.

    The claim is `evidence_for` when given (an existing claim), else a new
    draft with `statement` and `claim_kind`, its original wording the quote.
    """

    number: int
    quote: str
    start: int
    end: int
    source: Source | NewSource
    statement: str = ""
    claim_kind: str = Claim.Kind.EVENT
    evidence_for: Claim | None = None
    verb: str = ""
    mode: str = Attribution.Mode.PARAPHRASE
    hedged: bool = False
    stance: str = Attribution.Stance.SUPPORTS
    credibility: int = Attribution.Credibility.CANNOT_BE_JUDGED
    note: str = ""


@dataclass
class ProposalsAccepted:
    attributions: list[Attribution] = field(default_factory=list)
    new_claims: list[Claim] = field(default_factory=list)
    evidence_for: list[Claim] = field(default_factory=list)
    new_sources: list[Source] = field(default_factory=list)
    back_to_review: list[Claim] = field(default_factory=list)

    def summary(self) -> str:
        """ "3 attributions recorded (2 new claims, 1 as evidence for #12)"."""
        parts = []
        if self.new_claims:
            count = len(self.new_claims)
            parts.append(ngettext("%(count)d new claim", "%(count)d new claims", count) % {"count": count})
        if self.evidence_for:
            count = len(self.evidence_for)
            numbers = ", ".join(f"#{pk}" for pk in dict.fromkeys(claim.pk for claim in self.evidence_for))
            parts.append(
                ngettext("%(count)d as evidence for %(numbers)s", "%(count)d as evidence for %(numbers)s", count)
                % {"count": count, "numbers": numbers}
            )
        count = len(self.attributions)
        return ngettext(
            "%(count)d attribution recorded (%(parts)s)", "%(count)d attributions recorded (%(parts)s)", count
        ) % {"count": count, "parts": ", ".join(parts)}


class ProposalRefused(Exception):
    """A draft was refused, so nothing was written. `errors` maps the draft's fields (None: the draft as a
    whole) to the reasons."""

    def __init__(self, number: int, errors: dict[str | None, list[str]]):
        self.number, self.errors = number, errors
        reasons = " ".join(message for messages in errors.values() for message in messages)
        super().__init__(
            _("Proposal %(number)s was refused, so nothing was recorded: %(reasons)s")
            % {"number": number, "reasons": reasons}
        )


# Which field of a draft each model field was given by, to say beside which one a refusal belongs.
_DRAFT_FIELD = {
    Claim: {"statement": "statement", "original_wording": "statement", "kind": "claim_kind"},
    Source: {"label": "source", "kind": "source_kind", "reliability": "reliability"},
    Attribution: {"credibility": "credibility", "stance": "stance", "hedged": "hedged"},
}


def _refusal(number: int, model, error: ValidationError) -> ProposalRefused:
    errors: dict[str | None, list[str]] = {}
    items = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for name, messages in items:
        errors.setdefault(_DRAFT_FIELD[model].get(name), []).extend(messages)
    return ProposalRefused(number, errors)


@transaction.atomic
def proposals_accept(*, report: Report, drafts: Sequence[ProposalDraft], by) -> ProposalsAccepted:
    """Write `drafts` as attributions of `report` by `by`, all or nothing (ProposalRefused: nothing written).

    The report's row is locked, so two analysts accepting the same proposal
    at once record it once: a draft already recorded when it comes to be
    written (`claims.intake.recorded_as`) is refused. New sources named alike
    (label, kind and reliability) in one acceptance are one source.
    """
    if not drafts:
        raise ValidationError(_("Tick at least one proposal to accept."))
    Report.objects.select_for_update().only("pk").get(pk=report.pk)
    recorded = recorded_attributions(report)
    accepted = ProposalsAccepted()
    created: dict[tuple[str, str, str], Source] = {}
    for draft in drafts:
        source_id = draft.source.pk if isinstance(draft.source, Source) else None
        already = recorded_as(draft.start, draft.end, source_id, recorded)
        if already is not None:
            message = _("Attribution #%(pk)s records this passage already (recorded meanwhile?): reload the page.") % {
                "pk": already
            }
            raise ProposalRefused(draft.number, {None: [message]})
        source = _source(draft, created, accepted, by)
        claim = draft.evidence_for or Claim(
            statement=draft.statement, original_wording=draft.quote[:QUOTE_LIMIT], kind=draft.claim_kind
        )
        if claim.pk is None:
            _write(draft.number, Claim, lambda claim=claim: claim_save(claim=claim, by=by))
            accepted.new_claims.append(claim)
        else:
            accepted.evidence_for.append(claim)
        was_vetted = claim.status == Claim.Status.VETTED
        attribution = Attribution(
            claim=claim,
            source=source,
            report=report,
            quote=draft.quote,
            start=draft.start,
            end=draft.end,
            verb=draft.verb,
            mode=draft.mode,
            hedged=draft.hedged,
            stance=draft.stance,
            credibility=draft.credibility,
            note=draft.note,
        )
        _write(
            draft.number, Attribution, lambda attribution=attribution: attribution_save(attribution=attribution, by=by)
        )
        accepted.attributions.append(attribution)
        if was_vetted and claim.status != Claim.Status.VETTED:
            accepted.back_to_review.append(claim)
    return accepted


def _source(draft: ProposalDraft, created: dict, accepted: ProposalsAccepted, by) -> Source:
    if isinstance(draft.source, Source):
        return draft.source
    new = draft.source
    key = (new.label.strip().casefold(), new.kind, new.reliability)
    if key not in created:
        source = Source(
            label=new.label.strip(),
            kind=new.kind,
            reliability=new.reliability,
            description=new.description,
            anonymous=new.kind == Source.Kind.ANONYMOUS_INDIVIDUAL,
        )
        _write(draft.number, Source, lambda: source_save(source=source, by=by))
        created[key] = source
        accepted.new_sources.append(source)
    return created[key]


def _write(number: int, model, write) -> None:
    try:
        write()
    except ValidationError as error:
        raise _refusal(number, model, error) from error
    except StaleEdit as stale:  # the claim it is evidence for was deleted, or changed under a lock, meanwhile
        raise ProposalRefused(number, {None: [str(stale)]}) from stale
