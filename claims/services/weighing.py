"""Weighing the evidence: each claim's independent origins and suggested credibility, kept up to date.

The rule is `claims.corroboration` (pure). This module feeds it the rows and
stores what it finds on the claim (`Claim.corroboration` and the counts the
lists filter on) and on each attribution (`relay_of`), so that lists read
them like any column: no extra query per page, the same for every viewer (a
vetted claim's evidence is all visible to whoever may see the claim).

The writers call `claims_reweigh` after any change that can move a claim's
weight: its attributions (evidence services), a source's `same_as` or
`member_of` (`source_save`), a report's derivations (`derivation_save`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps as installed_apps
from django.db.models import Prefetch, Q
from django.utils import timezone

from claims.corroboration import AttributionFact, ReportFact, SourceFact, weigh
from claims.models import AttributionMode

# The functions take `apps` so that a data migration can weigh with its historical models.


def _models(apps):
    apps = apps or installed_apps
    return (
        apps.get_model("claims", "Claim"),
        apps.get_model("claims", "Attribution"),
        apps.get_model("sources", "Source"),
        apps.get_model("sources", "ReportDerivation"),
    )


def source_facts(extra=(), *, apps=None) -> dict[int, SourceFact]:
    """Every source that takes part in a chain (one query), plus `extra` (the attributed ones, preloaded)."""
    _, _, Source, _ = _models(apps)
    linked = Source.objects.filter(
        Q(same_as__isnull=False)
        | Q(member_of__isnull=False)
        | Q(recorded_again_as__isnull=False)
        | Q(members__isnull=False)
    ).distinct()
    facts = {
        pk: SourceFact(pk, label, same_as, member_of)
        for pk, label, same_as, member_of in linked.values_list("pk", "label", "same_as_id", "member_of_id")
    }
    for source in extra:
        facts.setdefault(source.pk, SourceFact(source.pk, source.label, source.same_as_id, source.member_of_id))
    return facts


def derivation_edges(*, apps=None) -> dict[int, tuple[int, ...]]:
    """report id → the reports it derives from directly (one query; the table is small beside claims)."""
    _, _, _, ReportDerivation = _models(apps)
    edges: dict[int, list[int]] = {}
    for report, original in ReportDerivation.objects.values_list("report_id", "original_id"):
        edges.setdefault(report, []).append(original)
    return {report: tuple(originals) for report, originals in edges.items()}


def weigh_claims(claims, *, apps=None) -> dict:
    """The corroboration of each claim (attributions preloaded with source and report): two queries in all."""
    claims = list(claims)
    attributions = [attribution for claim in claims for attribution in claim.attributions.all()]
    sources = source_facts((attribution.source for attribution in attributions), apps=apps)
    edges = derivation_edges(apps=apps)
    reports = {
        report: ReportFact(report, "", timezone.datetime.min.date(), originals) for report, originals in edges.items()
    }
    for attribution in attributions:
        report = attribution.report
        reports[report.pk] = ReportFact(report.pk, report.outlet, report.published, edges.get(report.pk, ()))
    return {
        claim.pk: weigh(
            (
                AttributionFact(
                    a.pk,
                    a.source_id,
                    a.report_id,
                    a.stance,
                    hedged=a.hedged,
                    outlet_voice=a.mode == AttributionMode.OUTLET_VOICE,
                    via=a.via_id,
                )
                for a in claim.attributions.all()
            ),
            sources,
            reports,
        )
        for claim in claims
    }


def claims_reweigh(claim_ids: Iterable[int], *, apps=None) -> int:
    """Weigh the claims again and store what changed; returns how many claims' weight changed.

    A claim whose weight changed gets a new `updated_at`, so that API
    consumers syncing with `updated_since` fetch it again.
    """
    Claim, Attribution, _, _ = _models(apps)
    with_evidence = Prefetch("attributions", queryset=Attribution.objects.select_related("source", "report"))
    claims = list(Claim.objects.filter(pk__in=set(claim_ids)).prefetch_related(with_evidence))
    changed = 0
    for claim in claims:
        weighed = weigh_claims([claim], apps=apps)[claim.pk]
        stored = weighed.as_dict()
        for attribution in claim.attributions.all():
            relay_of = weighed.relay_of.get(attribution.pk)
            if attribution.relay_of_id != relay_of:
                Attribution.objects.filter(pk=attribution.pk).update(relay_of=relay_of)
        if stored == claim.corroboration:
            continue
        Claim.objects.filter(pk=claim.pk).update(
            corroboration=stored,
            supporting_origins=weighed.supporting_origins,
            contradicting_origins=weighed.contradicting_origins,
            supporting_parties=weighed.supporting_parties,
            contradicting_parties=weighed.contradicting_parties,
            suggested_credibility=weighed.suggested_credibility,
            updated_at=timezone.now(),
        )
        changed += 1
    return changed


def claims_citing_chains_through(source) -> set[int]:
    """Claims whose speakers' canonical source or party may pass through `source`: those citing it or any
    source whose `same_as`/`member_of` chain reaches it."""
    _, Attribution, Source, _ = _models(None)
    rows = Source.objects.values_list("pk", "same_as_id", "member_of_id")
    links = {pk: (same_as, member_of) for pk, same_as, member_of in rows}
    below = {source.pk}
    grew = True
    while grew:
        grew = False
        for pk, ups in links.items():
            if pk not in below and below & {up for up in ups if up is not None}:
                below.add(pk)
                grew = True
    return set(Attribution.objects.filter(source__in=below).values_list("claim_id", flat=True))


def claims_downstream_of(report_id: int) -> set[int]:
    """Claims with attributions in `report_id` or any report deriving from it (or got via one of them)."""
    _, Attribution, _, _ = _models(None)
    edges = derivation_edges()
    reached = {report_id}
    grew = True
    while grew:
        grew = False
        for report, originals in edges.items():
            if report not in reached and reached & set(originals):
                reached.add(report)
                grew = True
    cited = Attribution.objects.filter(Q(report__in=reached) | Q(via__in=reached))
    return set(cited.values_list("claim_id", flat=True))
