"""Reads of reports and sources that need nothing but them.

What needs claims too (who may see a report, a source's record, the
evidence a report carries) lives in `claims.querysets`: `sources` never
imports `claims`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Case, IntegerField, Value, When


class ReportQuerySet(models.QuerySet):
    def recently_added(self) -> ReportQuerySet:
        return self.order_by("-created_at", "-id")


class SourceQuerySet(models.QuerySet):
    def in_kind_order(self) -> SourceQuerySet:
        """Grouped by kind in the order `Source.Kind` lists them (outlet first), then by label."""
        kinds = self.model.Kind.values
        rank = Case(*(When(kind=kind, then=Value(i)) for i, kind in enumerate(kinds)), output_field=IntegerField())
        return self.order_by(rank, "label", "id")
