"""A report's attributions as W3C Web Annotations, for Hypothesis and other annotation tools.

Pure: from a report and its attributions (claim and source preloaded) to an
AnnotationCollection whose one page holds an Annotation per attribution
(../shared/STANDARDS.md, "W3C Web Annotation"):

- the target is the report (its URL, or its page here when it has none) with
  a TextQuoteSelector (`exact` and `PREFIX_LENGTH` characters either side)
  and a TextPositionSelector (code points, as Python counts; Hypothesis'
  own client counts UTF-16 units, which is why `claims.imports.annotations`
  anchors by the quote and takes the position as a hint);
- the bodies name the claim (its statement, and a link to it in the API), the
  source (a link, and a tag) and the attribution's stance, grade, mode,
  hedging and reporting verb as `key:value` tags: the tags a Hypothesis user
  types for `import_annotations` to read.

An annotation's id is `urn:uuid:` + the UUID of the attribution's STIX
Opinion, so the two exports name it alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from claims.exports.stix import opinion_id
from claims.models import Attribution
from sources.models import Report

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
PREFIX_LENGTH = 32  # as Hypothesis' client
GENERATOR = {"type": "Software", "name": "claimtracker"}  # positions in our annotations are code points


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def attribution_tags(attribution: Attribution) -> list[str]:
    """The `key:value` tags of an attribution; `claims.imports.annotations.TAGS` reads them back."""
    tags = [
        f"claim:{attribution.claim_id}",
        f"source:{attribution.source.label}",
        f"source-kind:{attribution.source.kind}",
        f"stance:{attribution.stance}",
        f"grade:{attribution.grade}",
        f"mode:{attribution.mode}",
    ]
    if attribution.verb:
        tags.append(f"verb:{attribution.verb}")
    if attribution.hedged:
        tags.append("hedged")
    return tags


def annotation(
    attribution: Attribution,
    *,
    body: str,
    target_source: str,
    claim_url: Callable[[int], str],
    source_url: Callable[[int], str],
) -> dict:
    """One attribution as an Annotation of the report's text `body`."""
    start, end = attribution.start, attribution.end
    return {
        "id": "urn:uuid:" + str(uuid.UUID(opinion_id(attribution.pk).split("--")[1])),
        "type": "Annotation",
        "motivation": "identifying",
        "created": _when(attribution.created_at),
        "modified": _when(attribution.updated_at),
        "generator": GENERATOR,
        "body": [
            {
                "type": "TextualBody",
                "purpose": "describing",
                "value": attribution.claim.statement,
                "format": "text/plain",
                "language": "en",
            },
            {"type": "SpecificResource", "purpose": "identifying", "source": claim_url(attribution.claim_id)},
            {"type": "SpecificResource", "purpose": "identifying", "source": source_url(attribution.source_id)},
            *(
                {"type": "TextualBody", "purpose": "tagging", "value": tag, "format": "text/plain"}
                for tag in attribution_tags(attribution)
            ),
        ],
        "target": {
            "source": target_source,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": body[start:end],
                    "prefix": body[max(0, start - PREFIX_LENGTH) : start],
                    "suffix": body[end : end + PREFIX_LENGTH],
                },
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }


def annotation_collection(
    report: Report,
    attributions: Iterable[Attribution],
    *,
    collection_url: str,
    target_source: str,
    claim_url: Callable[[int], str],
    source_url: Callable[[int], str],
) -> dict:
    """The report's attributions (in text order) as an AnnotationCollection with its one page embedded."""
    items = [
        annotation(a, body=report.body, target_source=target_source, claim_url=claim_url, source_url=source_url)
        for a in attributions
    ]
    collection = {
        "@context": CONTEXT,
        "id": collection_url,
        "type": "AnnotationCollection",
        "label": f"Attributions in “{report.title}” ({report.outlet}, {report.published.isoformat()})",
        "total": len(items),
    }
    if items:
        collection["first"] = {
            "id": collection_url + "#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        }
    return collection
