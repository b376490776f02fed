"""Reports and sources as seen from their evidence.

`sources` knows nothing of claims, so what needs both lives here: who may
see a report or a source, what a report carries, what a source said and
what came of it (its track record).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch

from claims.corroboration import canonical, party
from claims.models import Attribution, Claim
from claims.querysets import count_of
from claims.services.weighing import source_facts
from sources.models import Reliability, Report, ReportDerivation, Source


def carrying_readable_claims(user, key: str) -> Exists:
    """ "This row (a report, a source: `key` of an attribution points at it) carries a claim `user` may read":
    `EXISTS` on the attributions' index of `key`, then the claim by primary key, so that a page of reports or
    sources seeks instead of building the growing set of what may be read."""
    readable = Attribution.objects.visible_to(user).order_by()
    return Exists(readable.filter(**{key: OuterRef("pk")}))


def reports_visible_to(user) -> models.QuerySet[Report]:
    """Every report for analysts and reviewers; for API consumers, those carrying claims they may read."""
    if user.is_authenticated and user.has_perm("sources.view_report"):
        return Report.objects.all()
    return Report.objects.filter(carrying_readable_claims(user, "report"))


def sources_visible_to(user) -> models.QuerySet[Source]:
    """Every source for analysts and reviewers; for API consumers, those of claims they may read."""
    if user.is_authenticated and user.has_perm("sources.view_source"):
        return Source.objects.all()
    return Source.objects.filter(carrying_readable_claims(user, "source"))


def reports_with_attribution_counts(reports: models.QuerySet[Report]) -> models.QuerySet[Report]:
    """`attribution_count` of each report, counted per report (its attributions' report index), so that the
    reports keep their own order and filters."""
    return reports.annotate(attribution_count=count_of(Attribution.objects.all(), "report"))


def reports_for_api(reports: models.QuerySet[Report], user) -> models.QuerySet[Report]:
    """The API's recipe: without the body, with the attributions of vetted claims (for their ids) and the
    derivations to reports `user` may see (`visible_derivations`).

    Two queries after the reports' own, whatever the number of reports.
    """
    vetted = Attribution.objects.visible_to(user).filter(Exists(Claim.objects.vetted().filter(pk=OuterRef("claim"))))
    derivations = ReportDerivation.objects.all()
    if not (user.is_authenticated and user.has_perm("sources.view_report")):
        readable = Attribution.objects.visible_to(user).order_by()
        derivations = derivations.filter(Exists(readable.filter(report=OuterRef("original"))))
    return reports.defer("body").prefetch_related(
        Prefetch("attributions", queryset=vetted.only("id", "report_id", "claim_id"), to_attr="vetted_attributions"),
        Prefetch(
            "derivations",
            queryset=derivations.only("id", "report_id", "original_id", "kind"),
            to_attr="visible_derivations",
        ),
    )


# A source's track record ------------------------------------------------------------------------------


class Outcome(StrEnum):
    STAND = "stand"
    FAILED = "failed"
    OPEN = "open"


def claim_outcome(status: str, suggested_credibility: int, contradicting_parties: int) -> Outcome:
    """What came of a claim: it *failed* when rejected, retracted or contradicted by two parties or more;
    it *stands* when vetted with a suggested credibility of 1 or 2; it is *open* otherwise."""
    if status in (Claim.Status.REJECTED, Claim.Status.RETRACTED) or contradicting_parties >= 2:
        return Outcome.FAILED
    if status == Claim.Status.VETTED and suggested_credibility in (1, 2):
        return Outcome.STAND
    return Outcome.OPEN


# The suggestion needs this many resolved (standing or failed) claims; then the share standing picks the
# grade. Never A: "completely reliable" takes more than a record of claims.
RESOLVED_FOR_SUGGESTION = 5
SUGGESTED_BY_SHARE_STANDING = [(0.9, Reliability.B), (0.7, Reliability.C), (0.5, Reliability.D), (0.0, Reliability.E)]


@dataclass(frozen=True)
class TrackRecord:
    """What came of the claims a speaker supported as an independent origin (a relay never counts).

    One record per speaker (`source`: the canonical source, after “same
    speaker as”), shown on each row recorded as it; each claim counted once,
    by its `claim_outcome`. `suggested_reliability` is a suggestion, never
    applied to `Source.reliability`.
    """

    source: int
    label: str
    stand: int = 0
    failed: int = 0
    open: int = 0

    @property
    def resolved(self) -> int:
        return self.stand + self.failed

    @property
    def supported(self) -> int:
        return self.stand + self.failed + self.open

    @property
    def suggested_reliability(self) -> Reliability | None:
        """B, C, D or E by the share of resolved claims that stand; None below `RESOLVED_FOR_SUGGESTION`."""
        if self.resolved < RESOLVED_FOR_SUGGESTION:
            return None
        share = self.stand / self.resolved
        return next(grade for floor, grade in SUGGESTED_BY_SHARE_STANDING if share >= floor)


def _attach_track_records(sources: list[Source], claims: models.QuerySet[Claim]) -> None:
    """Set `track_record` (counting only `claims`) and `party_id` on each source: two queries in all.

    The stored weight of each claim names its origins' speakers, so the
    record reads it: 1. the sources in a `same_as`/`member_of` chain, to
    resolve each row's speaker and party; 2. the outcome and weight of the
    claims that a source recorded as one of these speakers supports.
    """
    facts = source_facts(sources)
    speaker_of = {source.pk: canonical(source.pk, facts) for source in sources}
    speakers = set(speaker_of.values())
    recorded_as = {pk for pk in facts if canonical(pk, facts) in speakers}
    supporting = Attribution.objects.filter(stance=Attribution.Stance.SUPPORTS, source__in=recorded_as)
    rows = (
        claims.filter(pk__in=supporting.values("claim_id"))
        .order_by()
        .values_list("status", "suggested_credibility", "contradicting_parties", "corroboration")
    )
    tallies: dict[int, Counter] = {speaker: Counter() for speaker in speakers}
    for status, suggested, contradicting, weight in rows:
        outcome = claim_outcome(status, suggested, contradicting)
        origins = (weight or {}).get("origins", [])
        for speaker in {o["source"] for o in origins if o["stance"] == Attribution.Stance.SUPPORTS} & speakers:
            tallies[speaker][outcome] += 1
    for source in sources:
        speaker = speaker_of[source.pk]
        label = facts[speaker].label if speaker in facts else source.label
        source.track_record = TrackRecord(speaker, label, **{str(k): n for k, n in tallies[speaker].items()})
        source.party_id = party(source.pk, facts)


def _rows_with(sources: models.QuerySet[Source], attach: Callable[[list[Source]], None]) -> models.QuerySet[Source]:
    """`sources`, whose rows go through `attach` once fetched, a page at a time, as a prefetch would:
    it holds through chaining, slicing (a paginator's page) and `get()` (a detail view's object), so the
    views, the admin and the API keep one queryset recipe. (Django's row iterable, `_iterable_class`, is
    the hook: `values()` replaces it, so only model rows are touched.)"""

    class Attaching(sources._iterable_class):
        def __iter__(self):
            rows = list(super().__iter__())
            if rows:
                attach(rows)
            yield from rows

    attaching = sources.all()
    attaching._iterable_class = Attaching
    return attaching


def sources_with_track_records(
    sources: models.QuerySet[Source], claims: models.QuerySet[Claim]
) -> models.QuerySet[Source]:
    """Each source fetched comes with its `track_record` counted over `claims` only (those the viewer may
    read) and its `party_id`: two queries per fetch, whatever the number of rows."""
    return _rows_with(sources, lambda rows: _attach_track_records(rows, claims))


def sources_for_sources_page(sources: models.QuerySet[Source]) -> models.QuerySet[Source]:
    """/sources/: by kind, with track records and each source's reports (`report_attributions`).

    The pages are for those who may read every claim (`ReviewerPageMixin`), so every claim counts.
    """
    first_per_report = (
        Attribution.objects.one_per_source_and_report().select_related("report").order_by("report__published")
    )
    return sources_with_track_records(sources.in_kind_order(), Claim.objects.all()).prefetch_related(
        Prefetch("attributions", queryset=first_per_report, to_attr="report_attributions")
    )


def sources_for_source_page(sources: models.QuerySet[Source]) -> models.QuerySet[Source]:
    """/sources/<id>/: the source with its track record (every claim counts, as on the sources page)."""
    return sources_with_track_records(sources, Claim.objects.all())


def sources_for_admin_list(sources: models.QuerySet[Source], user) -> models.QuerySet[Source]:
    """The admin's sources, with track records counted over the claims `user` may read."""
    return sources_with_track_records(sources, Claim.objects.visible_to(user))


def sources_for_api(sources: models.QuerySet[Source], user) -> models.QuerySet[Source]:
    """The API's recipe: track records over the claims `user` may read (vetted ones for API consumers, so
    no unvetted evidence shows through a count) and the party of each source."""
    return sources_with_track_records(sources, Claim.objects.visible_to(user))


def corroboration_panel(claim: Claim) -> dict:
    """The claim's stored weight with its ids resolved for a page: origins by stance, each with its speaker,
    party, attributions and relays (attributions preloaded: one query for the sources they do not name)."""
    weight = claim.corroboration or {}
    attributions = {attribution.pk: attribution for attribution in claim.attributions.all()}
    sources = {attribution.source_id: attribution.source for attribution in attributions.values()}
    wanted = {pk for origin in weight.get("origins", []) for pk in (origin["source"], origin["party"])}
    if wanted - set(sources):
        sources.update(Source.objects.in_bulk(wanted - set(sources)))
    stances = {}
    for origin in weight.get("origins", []):
        members = [attributions[pk] for pk in origin["attributions"] if pk in attributions]
        relays = set(origin["relays"])
        outlets = {attributions[pk].report.outlet for pk in origin["attributions"] if pk in attributions}
        stances.setdefault(origin["stance"], []).append(
            {
                "speaker": sources.get(origin["source"]),
                "party": sources.get(origin["party"]),
                "first": [a for a in members if a.pk not in relays],
                "relays": [a for a in members if a.pk in relays],
                "hedged": origin["hedged"],
                "circular": origin["circular"],
                "outlets": sorted(outlets),
            }
        )
    order = [stance for stance in Attribution.Stance.values if stance in stances]
    return {
        "weight": weight,
        "by_stance": [(Attribution.Stance(stance).label, stance, stances[stance]) for stance in order],
    }
