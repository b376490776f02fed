"""Admin for reports and sources, as far as `sources` knows them, and the no-lost-updates admin.

`sources` never imports `claims`: what an analyst needs beside a report or a
source is the evidence it carries, so `claims.admin` extends these classes
with it and registers them.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.http import HttpResponseRedirect

from claimtracker.history import ReadableHistoryAdmin
from claimtracker.versioning import StaleEdit, check_version
from sources.models import ReportDerivation


class VersionedForm(forms.ModelForm):
    """Carries the version the editor loaded, so a save over someone else's later change is refused.

    Reverting to a historical version starts from an old version on purpose:
    then the version carried is the stored row's, so a revert is refused only
    when someone changed the row after the revert page opened.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reverting = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            version = self.instance.version
            if self.reverting:
                stored = type(self.instance).objects.filter(pk=self.instance.pk).values_list("version", flat=True)
                version = stored.first() or version
            self.fields["loaded_version"].required = True
            self.fields["loaded_version"].initial = version

    def check_version(self, version: int) -> None:
        """Raise StaleEdit when the stored row is no longer at `version`."""
        check_version(self.instance, version)

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is not None:
            try:
                self.check_version(loaded)
            except StaleEdit as stale:
                raise ValidationError(str(stale), code="stale") from None
        return cleaned


class NoLostUpdatesAdmin(ReadableHistoryAdmin):
    """Edits that never overwrite someone else's: the second of two concurrent saves is refused.

    The form refuses a stale version early, with who changed what; the
    service's compare-and-swap (`claimtracker.versioning`) refuses it again
    at the write, closing the race. Subclasses save through `save_checked`.
    """

    form = VersionedForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.reverting = getattr(request, "reverting_history", False)
        return form

    def save_model(self, request, obj, form, change):
        self.save_checked(request, obj, form.cleaned_data.get("loaded_version") if change else None)

    def save_checked(self, request, obj, version: int | None) -> None:
        """Save `obj` through its service, which refuses it if the stored row is no longer at `version`."""
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit as stale:
            # Lost the race between the form's check and the save: nothing was written.
            self.message_user(request, str(stale), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's revert view runs outside the transaction changeform_view opens: the
        # service's writes need one, and a lost race is reported as on the change page.
        request.reverting_history = True
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(request, object_id, version_id, extra_context)
        except StaleEdit as stale:
            self.message_user(request, str(stale), messages.ERROR)
            return HttpResponseRedirect(request.path)


class LinkInline(admin.TabularInline):
    """Links from the row on the page to others of its kind: a kind, the other row, a narrow note box
    (which keeps each row, and its Delete box, within a laptop screen)."""

    extra = 0
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


class DerivationInline(LinkInline):
    """What this report derives from: the reports it relays, quotes, translates or summarises."""

    model = ReportDerivation
    fk_name = "report"
    autocomplete_fields = ["original"]
    fields = ["kind", "original", "note"]
    verbose_name = "derives from"
    verbose_name_plural = "derives from (relays, quotes, translates, summarises)"


class ReportAdmin(NoLostUpdatesAdmin):
    inlines = [DerivationInline]
    list_display = ["title", "outlet", "published", "kind", "body_kind", "language"]
    # A URL typed without a scheme is https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["kind", "body_kind", "language", "outlet"]
    search_fields = ["title", "outlet", "author", "body"]
    date_hierarchy = "published"
    readonly_fields = ["created_by", "created_at", "updated_at"]


class SourceAdmin(NoLostUpdatesAdmin):
    list_display = ["label", "kind", "reliability", "anonymous", "side", "affiliation"]
    autocomplete_fields = ["same_as", "member_of"]
    list_filter = ["kind", "reliability", "anonymous", "side"]
    search_fields = ["label", "description", "affiliation", "side"]
