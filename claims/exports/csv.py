"""CSV of claims: one row per attribution, with the claim's, the source's and the report's fields.

Pure: from claims as the API presents them (dicts) to bytes. The columns are
derived from the models' own field lists (`Claim.CONTENT_FIELDS`,
`Attribution.EVIDENCE_FIELDS`).
"""

import csv
import io

from claims.models import Attribution, Claim

CLAIM_COLUMNS = ["id", *Claim.CONTENT_FIELDS, "status", "created_at", "updated_at"]
# The attribution's own fields; its source and report have columns of their own.
ATTRIBUTION_COLUMNS = [
    "id",
    *(name for name in Attribution.EVIDENCE_FIELDS if name not in ("report", "source")),
    "grade",
]
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


def claims_csv(claims) -> bytes:
    """The header and one row per attribution of each claim (a dict as the API presents it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for claim in claims:
        writer.writerows([_cell(value) for value in row] for row in claim_rows(claim))
    return out.getvalue().encode("utf-8")


def messages_csv(data: dict) -> bytes:
    """An error (or OPTIONS metadata) as `field,message` rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["field", "message"])
    for field, messages in (data or {}).items():
        for message in messages if isinstance(messages, list) else [messages]:
            writer.writerow([field, _cell(message)])
    return out.getvalue().encode("utf-8")
