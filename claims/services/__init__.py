"""Writes: one place that the admin, the pages, the scripts and the imports call.

- `claims.services.claims`: a claim's save, workflow steps, delete and restore;
- `claims.services.evidence`: its attributions and relations;
- `claims.services.imports`: rows another claimtracker exported, with their ids, statuses and times;
- `claims.services.intake`: proposed attributions accepted, all or nothing;
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
from claims.services.imports import (
    attribution_import,
    claim_import,
    claim_import_status,
    derivation_import,
    ids_taken,
    import_settle,
    imported_from,
    importer_refusal,
    relation_import,
    report_import,
    source_import,
)
from claims.services.intake import NewSource, ProposalDraft, ProposalRefused, ProposalsAccepted, proposals_accept
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
    "NewSource",
    "ProposalDraft",
    "ProposalRefused",
    "ProposalsAccepted",
    "Reanchored",
    "ReportSaved",
    "Restored",
    "StaleClaim",
    "StaleEdit",
    "attribution_changes",
    "attribution_delete",
    "attribution_import",
    "attribution_save",
    "claim_changes_since",
    "claim_check_version",
    "claim_delete",
    "claim_evidence_changed",
    "claim_import",
    "claim_import_status",
    "claim_restore",
    "claim_save",
    "claim_transition",
    "claims_reweigh",
    "derivation_delete",
    "derivation_import",
    "derivation_save",
    "entity_save",
    "ids_taken",
    "import_settle",
    "imported_from",
    "importer_refusal",
    "lock_claim",
    "proposals_accept",
    "relation_delete",
    "relation_import",
    "relation_save",
    "report_import",
    "report_reanchoring",
    "report_save",
    "source_import",
    "source_regraded",
    "source_save",
    "weigh_claims",
]
