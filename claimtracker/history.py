"""The admin's history pages, readable: labels instead of stored values, and every change shown.

django-simple-history diffs only the fields a form may edit, so a review step
(which changes `status`, never editable in a form) showed an empty "Changes"
cell; and it prints stored values (`likely → very_likely`) where an analyst
reads labels ("Likely → Very likely"). Bookkeeping fields (version,
timestamps) change on every save and say nothing, so they are left out.
"""

from django.db import models
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

BOOKKEEPING = frozenset({"id", "version", "created_at", "updated_at"})
EMPTY = "—"


class ReadableChanges(HistoricalRecordContextHelper):
    """Each changed value as the admin's forms name it: a choice's label, yes/no, a date, or "—" for none."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value is None or value == "" or value == []:
            return EMPTY
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(field, models.BooleanField):
            return "yes" if value else "no"
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return date_format(value)
        return value


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose "Changes" column lists every tracked field that moved, labelled."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        newer = None
        for older in historical_records:  # newest first, as the page lists them
            if newer is not None:
                delta = newer.diff_against(older, foreign_keys_are_objs=foreign_keys_are_objs)
                delta.changes.extend(_workflow_changes(newer, older))
                newer.history_delta_changes = self.get_historical_record_context_helper(
                    request, newer
                ).context_for_delta_changes(delta)
            newer = older


def _workflow_changes(newer, older) -> list[ModelChange]:
    """The fields no form edits (a claim's status, moved by review steps) that simple-history's diff skips."""
    return [
        ModelChange(field.name, getattr(older, field.attname), getattr(newer, field.attname))
        for field in newer.tracked_fields
        if not field.editable
        and not field.is_relation
        and field.name not in BOOKKEEPING
        and getattr(older, field.attname) != getattr(newer, field.attname)
    ]
