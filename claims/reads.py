"""Reports and sources as seen from their evidence.

`sources` knows nothing of claims, so what needs both lives here: who may
see a report or a source, what a report carries, what a source said.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Prefetch, Q

from claims.models import Attribution, Claim
from sources.models import Report, Source

# so what needs both is here: who may see a report or a source, and what it carries.


def reports_visible_to(user) -> models.QuerySet[Report]:
    """Every report for analysts and reviewers; for API consumers, those carrying claims they may read."""
    if user.is_authenticated and user.has_perm("sources.view_report"):
        return Report.objects.all()
    carried = Attribution.objects.filter(claim__in=Claim.objects.visible_to(user))
    return Report.objects.filter(pk__in=carried.values("report_id"))


def sources_visible_to(user) -> models.QuerySet[Source]:
    """Every source for analysts and reviewers; for API consumers, those of claims they may read."""
    if user.is_authenticated and user.has_perm("sources.view_source"):
        return Source.objects.all()
    speaking = Attribution.objects.filter(claim__in=Claim.objects.visible_to(user))
    return Source.objects.filter(pk__in=speaking.values("source_id"))


def reports_with_attribution_counts(reports: models.QuerySet[Report]) -> models.QuerySet[Report]:
    return reports.annotate(attribution_count=Count("attributions", distinct=True))


def reports_for_api(reports: models.QuerySet[Report], user) -> models.QuerySet[Report]:
    """The API's recipe: without the body, with the attributions of vetted claims (for their ids).

    One query after the reports' own, whatever the number of reports.
    """
    vetted = Claim.objects.visible_to(user).vetted()
    return reports.defer("body").prefetch_related(
        Prefetch(
            "attributions",
            queryset=Attribution.objects.filter(claim__in=vetted).only("id", "report_id", "claim_id"),
            to_attr="vetted_attributions",
        )
    )


def sources_with_stance_counts(sources: models.QuerySet[Source]) -> models.QuerySet[Source]:
    """Annotate how many distinct claims each source supports and contradicts."""
    return sources.annotate(
        supports_count=Count(
            "attributions__claim", filter=Q(attributions__stance=Attribution.Stance.SUPPORTS), distinct=True
        ),
        contradicts_count=Count(
            "attributions__claim", filter=Q(attributions__stance=Attribution.Stance.CONTRADICTS), distinct=True
        ),
    )


def sources_for_sources_page(sources: models.QuerySet[Source]) -> models.QuerySet[Source]:
    """/sources/: by kind, with stance counts and each source's reports (`report_attributions`)."""
    first_per_report = (
        Attribution.objects.one_per_source_and_report().select_related("report").order_by("report__published")
    )
    return sources_with_stance_counts(sources.in_kind_order()).prefetch_related(
        Prefetch("attributions", queryset=first_per_report, to_attr="report_attributions")
    )


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
