"""Admin for reports and sources.

The models of `sources` never depend on `claims`; the admin does, because
what an analyst needs beside a report or a source is the evidence it carries.
"""

from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.models import Attribution
from sources.models import Report, Source


class StaleEdit(Exception):
    """The row changed after the editor loaded it; saving would overwrite someone's work."""


def stale_message(obj, loaded_at: datetime) -> str:
    """Someone else changed `obj` after `loaded_at`: who, and which fields, read from its history."""
    history = obj.history.order_by("history_date")
    newer = list(history.filter(updated_at__gt=loaded_at).select_related("history_user"))
    loaded = history.filter(updated_at=loaded_at).last()
    fields = []
    if newer and loaded is not None:
        delta = newer[-1].diff_against(loaded)
        fields = [str(obj._meta.get_field(name).verbose_name) for name in delta.changed_fields]
    who = ", ".join(sorted({r.history_user.get_username() for r in newer if r.history_user})) or "another user"
    name = obj._meta.verbose_name
    return (
        f"Someone else changed this {name} since you opened it ({who} changed {', '.join(fields) or 'it'}). "
        f"Your changes were not saved, so nothing of theirs was overwritten: reload the {name}, then redo yours."
    )


class LoadedAtForm(forms.ModelForm):
    """Carries the `updated_at` the editor loaded, so a save over someone else's later change is refused."""

    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_at"].required = True
            self.fields["loaded_at"].initial = self.instance.updated_at.isoformat()

    def clean_loaded_at(self):
        value = self.cleaned_data["loaded_at"]
        if not value:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError("The form is damaged: reload the page.") from None

    def clean(self):
        cleaned = super().clean()
        loaded_at = cleaned.get("loaded_at")
        if self.instance.pk and loaded_at is not None:
            stored = type(self.instance).objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True)
            if stored.first() != loaded_at:
                raise ValidationError(stale_message(self.instance, loaded_at), code="stale")
        return cleaned


class NoLostUpdatesAdmin(SimpleHistoryAdmin):
    """Edits of reports and sources: the second of two concurrent saves is refused, nothing lost.

    The form checks `updated_at` against the one loaded; the save checks again
    under a row lock (inside the admin's transaction), closing the race.
    """

    form = LoadedAtForm

    def save_model(self, request, obj, form, change):
        loaded_at = form.cleaned_data.get("loaded_at")
        if change and loaded_at is not None:
            locked = type(obj).objects.select_for_update().filter(pk=obj.pk, updated_at=loaded_at)
            if not locked.exists():
                raise StaleEdit(stale_message(obj, loaded_at))
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit as stale:
            self.message_user(request, str(stale), messages.ERROR)
            return HttpResponseRedirect(request.path)


class ReportAttributionInline(admin.TabularInline):
    """A report's attributions in the order they appear in its text (read-only: edit them on the claim)."""

    model = Attribution
    extra = 0
    can_delete = False
    fields = ["start", "end", "quote", "source", "grade", "claim", "stance", "hedged"]
    readonly_fields = fields
    verbose_name_plural = "attributions, in text order"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).in_text_order().select_related("source", "claim")


@admin.register(Report)
class ReportAdmin(NoLostUpdatesAdmin):
    list_display = ["title", "outlet", "published", "kind", "body_kind", "language", "attribution_count"]
    # A URL typed without a scheme is https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["kind", "body_kind", "language", "outlet"]
    search_fields = ["title", "outlet", "author", "body"]
    date_hierarchy = "published"
    inlines = [ReportAttributionInline]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_admin_list()

    @admin.display(description="attributions", ordering="attribution_count")
    def attribution_count(self, report):
        return report.attribution_count

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Source)
class SourceAdmin(NoLostUpdatesAdmin):
    list_display = ["label", "kind", "reliability", "anonymous", "side", "affiliation", "supports", "contradicts"]
    list_filter = ["kind", "reliability", "anonymous", "side"]
    search_fields = ["label", "description", "affiliation", "side"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_admin_list()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "reliability" in form.changed_data:
            # Every grade citing the source changed: the claims vetted on them go back to review.
            claims = services.source_regraded(
                source=obj, by=request.user, previous_reliability=form.initial["reliability"]
            )
            if claims:
                numbers = ", ".join(f"#{claim.pk}" for claim in claims)
                self.message_user(
                    request,
                    f"The source's reliability changed, so {len(claims)} vetted claim(s) citing it "
                    f"went back to review: {numbers}.",
                    messages.WARNING,
                )

    @admin.display(description="claims supported", ordering="supports_count")
    def supports(self, source):
        return source.supports_count

    @admin.display(description="claims contradicted", ordering="contradicts_count")
    def contradicts(self, source):
        return source.contradicts_count
