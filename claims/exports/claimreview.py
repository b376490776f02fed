"""Claims as schema.org ClaimReview (JSON-LD), for fact-check aggregators.

Pure: from claims (attributions with source and report preloaded) to dicts.
The mapping (../shared/STANDARDS.md, "schema.org ClaimReview and Claim"):

- `claimReviewed` the statement, `url` the claim's page, `author` the
  tracker's organisation, `datePublished` the day the claim last changed;
- `reviewRating` from the ICD 203 likelihood: 1 (almost no chance) to 7
  (almost certain), higher = more likely true, the term as `alternateName`; a
  claim not judged has only the words "Not judged";
- `itemReviewed` a `Claim` whose `author` is the source of its earliest
  supporting attribution, `firstAppearance` that report and `appearance`
  every report that supports it, in time order.

schema.org has no relation between claims, and no TLP: relations and
markings are STIX's.
"""

from __future__ import annotations

from collections.abc import Callable

from claims.exports.scales import BEST_RATING, LIKELIHOODS, WORST_RATING
from claims.models import Attribution, Claim
from sources.models import Report, Source

CONTEXT = "https://schema.org"
MEDIA_TYPE = "application/ld+json"
NOT_JUDGED = "Not judged"
# Sources that are one person; the others (outlets, organisations, groups, estimates, documents) are organisations.
PEOPLE = {
    Source.Kind.NAMED_INDIVIDUAL,
    Source.Kind.ANONYMOUS_INDIVIDUAL,
    Source.Kind.DESCRIBED_INDIVIDUAL,
    Source.Kind.FORMER_OFFICIAL,
}
ARTICLES = {Report.Kind.NEWS_ARTICLE: "NewsArticle", Report.Kind.VIDEO: "VideoObject"}


def publisher(site_url: str) -> dict:
    """The organisation that reviews: this tracker."""
    return {"@type": "Organization", "name": "claimtracker", "url": site_url}


def _present(properties: dict) -> dict:
    return {key: value for key, value in properties.items() if value not in ("", None, [])}


def _appearance(report: Report) -> dict:
    return _present(
        {
            "@type": ARTICLES.get(report.kind, "CreativeWork"),
            "url": report.url,
            "headline": report.title,
            "datePublished": report.published.isoformat(),
            "inLanguage": report.language,
            "author": {"@type": "Person", "name": report.author} if report.author else None,
            "publisher": {"@type": "Organization", "name": report.outlet},
        }
    )


def _author(source: Source) -> dict:
    return _present(
        {
            "@type": "Person" if source.kind in PEOPLE else "Organization",
            "name": source.label,
            "description": source.description,
        }
    )


def _rating(claim: Claim) -> dict:
    if claim.likelihood not in LIKELIHOODS:
        return {"@type": "Rating", "alternateName": NOT_JUDGED}
    term, _, value = LIKELIHOODS[claim.likelihood]
    explanation = f"ICD 203 likelihood: {claim.get_likelihood_display().lower()}"
    if claim.confidence:
        explanation += f"; analytic confidence: {claim.get_confidence_display().lower()}"
    return {
        "@type": "Rating",
        "ratingValue": value,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": term[0].upper() + term[1:],
        "ratingExplanation": explanation + ".",
    }


def claim_review(claim: Claim, *, claim_url: Callable[[int], str], publisher: dict) -> dict:
    """One claim's ClaimReview, without its `@context` (see `claim_review_document`, `claim_reviews`)."""
    supporting = sorted(
        (a for a in claim.attributions.all() if a.stance == Attribution.Stance.SUPPORTS),
        key=lambda a: (a.report.published, a.report_id, a.start or 0, a.pk),
    )
    reports = list({a.report_id: a.report for a in supporting}.values())
    first = supporting[0] if supporting else None
    item = {"@type": "Claim"}
    if first is not None:
        item.update(
            {
                "author": _author(first.source),
                "datePublished": (first.said_on or first.report.published).isoformat(),
                "firstAppearance": _appearance(first.report),
                "appearance": [_appearance(report) for report in reports],
            }
        )
    return {
        "@type": "ClaimReview",
        "url": claim_url(claim.pk),
        "claimReviewed": claim.statement,
        "datePublished": claim.updated_at.date().isoformat(),
        "inLanguage": "en",
        "author": publisher,
        "reviewRating": _rating(claim),
        "itemReviewed": item,
    }


def claim_review_document(claim: Claim, **kwargs) -> dict:
    """A claim's ClaimReview as a JSON-LD document."""
    return {"@context": CONTEXT, **claim_review(claim, **kwargs)}


def claim_reviews(claims, **kwargs) -> dict:
    """Several claims' ClaimReviews as one JSON-LD document (`@graph`), by claim id."""
    return {"@context": CONTEXT, "@graph": [claim_review(c, **kwargs) for c in sorted(claims, key=lambda c: c.pk)]}
