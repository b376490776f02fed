"""The analysts' admin: claims with their evidence inline (`claims`), reports, sources and entities
with the evidence they carry (`reports`). Each module registers its classes when imported."""

from claims.admin.claims import AttributionAdmin, ClaimAdmin, ClaimAdminForm, ClaimRelationAdmin
from claims.admin.reports import EntityAdmin, ReportAdmin, ReportAdminForm, SourceAdmin

__all__ = [
    "AttributionAdmin",
    "ClaimAdmin",
    "ClaimAdminForm",
    "ClaimRelationAdmin",
    "EntityAdmin",
    "ReportAdmin",
    "ReportAdminForm",
    "SourceAdmin",
]
