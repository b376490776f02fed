"""CSV of claims: one row per attribution, with the claim's and the source's fields."""

import csv
import io

from rest_framework.renderers import BaseRenderer

CLAIM_COLUMNS = [
    "id",
    "statement",
    "original_wording",
    "kind",
    "about_date",
    "about_precision",
    "about_text",
    "likelihood",
    "confidence",
    "status",
    "created_at",
    "updated_at",
]
ATTRIBUTION_COLUMNS = ["id", "quote", "start", "end", "verb", "mode", "stance", "hedged", "credibility", "grade"]
SOURCE_COLUMNS = ["id", "label", "kind", "affiliation", "side", "anonymous", "reliability"]
REPORT_COLUMNS = ["id", "title", "outlet", "published", "url", "language"]
HEADER = [
    *(f"claim_{c}" for c in CLAIM_COLUMNS),
    "claim_entities",
    *(f"attribution_{c}" for c in ATTRIBUTION_COLUMNS),
    *(f"source_{c}" for c in SOURCE_COLUMNS),
    *(f"report_{c}" for c in REPORT_COLUMNS),
]
# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def claim_rows(claim: dict):
    """One row per attribution; a claim without attributions still gets a row."""
    claim_part = [claim[c] for c in CLAIM_COLUMNS] + ["; ".join(e["name"] for e in claim["entities"])]
    empty = [None] * (len(ATTRIBUTION_COLUMNS) + len(SOURCE_COLUMNS) + len(REPORT_COLUMNS))
    if not claim["attributions"]:
        yield claim_part + empty
    for attribution in claim["attributions"]:
        yield (
            claim_part
            + [attribution[c] for c in ATTRIBUTION_COLUMNS]
            + [attribution["source"][c] for c in SOURCE_COLUMNS]
            + [attribution["report"][c] for c in REPORT_COLUMNS]
        )


class ClaimCsvRenderer(BaseRenderer):
    """Renders a page of claims (or one claim) as CSV; anything else (errors) as `field,message` rows.

    The cursor links of a page go in a `Link` header (rel="next", rel="previous").
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        out = io.StringIO()
        writer = csv.writer(out)
        if isinstance(data, dict) and "results" in data:
            claims = data["results"]
            links = [f'<{data[rel]}>; rel="{rel}"' for rel in ("next", "previous") if data.get(rel)]
            if links and response is not None:
                response["Link"] = ", ".join(links)
        elif isinstance(data, dict) and "attributions" in data:
            claims = [data]
        else:  # an error, or OPTIONS metadata: one row per message
            writer.writerow(["field", "message"])
            for field, messages in (data or {}).items():
                for message in messages if isinstance(messages, list) else [messages]:
                    writer.writerow([field, _cell(message)])
            return out.getvalue().encode(self.charset)
        writer.writerow(HEADER)
        for claim in claims:
            writer.writerows([_cell(value) for value in row] for row in claim_rows(claim))
        return out.getvalue().encode(self.charset)
