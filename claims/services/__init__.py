"""Writes: one place that the admin, the pages, the scripts and the imports call.

- `claims.services.claims`: a claim's save, workflow steps, delete and restore;
- `claims.services.evidence`: its attributions and relations;
- `claims.services.reports`: reports (quotes re-anchored, derivations), sources (regrades), entities;
- `claims.services.weighing`: each claim's independent origins and suggested credibility, kept up to date.

Everything is re-exported here: `from claims import services; services.claim_save(...)`.
"""

from claims.services.claims import (
    BACK_TO_REVIEW,
    SUBSTANTIVE_CLAIM_FIELDS,
    Restored,
    StaleClaim,
    claim_changes_since,
    claim_check_version,
    claim_delete,
    claim_evidence_changed,
    claim_restore,
    claim_save,
    claim_transition,
    lock_claim,
)
from claims.services.evidence import (
    SUBSTANTIVE_ATTRIBUTION_FIELDS,
    attribution_changes,
    attribution_delete,
    attribution_save,
    relation_delete,
    relation_save,
)
from claims.services.reports import (
    Reanchored,
    ReportSaved,
    derivation_delete,
    derivation_save,
    entity_save,
    report_reanchoring,
    report_save,
    source_regraded,
    source_save,
)
from claims.services.weighing import claims_reweigh, weigh_claims
from claimtracker.versioning import StaleEdit

__all__ = [
    "BACK_TO_REVIEW",
    "SUBSTANTIVE_ATTRIBUTION_FIELDS",
    "SUBSTANTIVE_CLAIM_FIELDS",
    "Reanchored",
    "ReportSaved",
    "Restored",
    "StaleClaim",
    "StaleEdit",
    "attribution_changes",
    "attribution_delete",
    "attribution_save",
    "claim_changes_since",
    "claim_check_version",
    "claim_delete",
    "claim_evidence_changed",
    "claim_restore",
    "claim_save",
    "claim_transition",
    "claims_reweigh",
    "derivation_delete",
    "derivation_save",
    "entity_save",
    "lock_claim",
    "relation_delete",
    "relation_save",
    "report_reanchoring",
    "report_save",
    "source_regraded",
    "source_save",
    "weigh_claims",
]
