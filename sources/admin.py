"""Admin for reports and sources.

The models of `sources` never depend on `claims`; the admin does, because
what an analyst needs beside a report or a source is the evidence it carries.
"""

from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
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
    """Carries the `updated_at` the editor loaded, so a save over someone else's later change is refused.

    Reverting to a historical version starts from an old `updated_at` on
    purpose: then the one carried is the stored row's, so a revert is refused
    only when someone changed the row after the revert page opened.
    """

    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)
    reverting = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            loaded_at = self.instance.updated_at
            if self.reverting:
                stored = type(self.instance).objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True)
                loaded_at = stored.first() or loaded_at
            self.fields["loaded_at"].required = True
            self.fields["loaded_at"].initial = loaded_at.isoformat()

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
    """Edits of reports, sources and entities: the second of two concurrent saves is refused, nothing lost.

    The form checks `updated_at` against the one loaded; the save checks again
    under a row lock (inside the admin's transaction), closing the race.
    """

    form = LoadedAtForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.reverting = getattr(request, "reverting_history", False)
        return form

    def save_model(self, request, obj, form, change):
        loaded_at = form.cleaned_data.get("loaded_at")
        if change and loaded_at is not None:
            locked = type(obj).objects.select_for_update().filter(pk=obj.pk, updated_at=loaded_at)
            if not locked.exists():
                raise StaleEdit(stale_message(obj, loaded_at))
        self.save_checked(request, obj)

    def save_checked(self, request, obj) -> None:
        """Save `obj` through its service; its row, if stored, is locked and as the editor loaded it."""
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit as stale:
            self.message_user(request, str(stale), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's revert view runs outside the transaction changeform_view opens: the row
        # lock and the service's writes need one, and a lost race is reported as on the change page.
        request.reverting_history = True
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(request, object_id, version_id, extra_context)
        except StaleEdit as stale:
            self.message_user(request, str(stale), messages.ERROR)
            return HttpResponseRedirect(request.path)


class ReportAdminForm(LoadedAtForm):
    """An edited body must still contain every quote anchored in it: a body that loses one is refused."""

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        stored = Report.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        if stored is not None and body is not None:
            try:
                services.report_reanchoring(stored=stored, body=body)
            except ValidationError as lost:
                self.add_error("body", lost)
        return cleaned


@admin.register(Report)
class ReportAdmin(NoLostUpdatesAdmin):
    list_display = ["title", "outlet", "published", "kind", "body_kind", "language", "attribution_count"]
    # A URL typed without a scheme is https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["kind", "body_kind", "language", "outlet"]
    search_fields = ["title", "outlet", "author", "body"]
    date_hierarchy = "published"
    form = ReportAdminForm
    readonly_fields = ["created_by", "created_at", "updated_at", "attributions_in_text_order"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_admin_list()

    @admin.display(description="attributions", ordering="attribution_count")
    def attribution_count(self, report):
        return report.attribution_count

    @admin.display(description="attributions, in text order")
    def attributions_in_text_order(self, report):
        """Read-only, from one query: attributions are edited on their claim, never validated here."""
        if report.pk is None:
            return "-"
        rows = format_html_join(
            "",
            '<tr><td>{}–{}</td><td>“{}”</td><td>{}</td><td>{}</td><td><a href="{}">{}</a></td>'
            "<td>{}</td><td>{}</td></tr>",
            (
                (
                    attribution.start,
                    attribution.end,
                    attribution.quote,
                    attribution.source.label,
                    attribution.grade,
                    reverse("admin:claims_claim_change", args=[attribution.claim_id]),
                    attribution.claim,
                    attribution.get_stance_display(),
                    "hedged" if attribution.hedged else "",
                )
                for attribution in Attribution.objects.for_report(report)
            ),
        )
        if not rows:
            return "None yet."
        return format_html(
            "<table><thead><tr><th>span</th><th>quote</th><th>source</th><th>grade</th><th>claim</th>"
            "<th>stance</th><th></th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    def save_checked(self, request, obj):
        try:
            saved = services.report_save(report=obj, by=request.user)
        except ValidationError as refusal:
            # The form checked the quotes; this is a change that came in between: nothing was written.
            raise StaleEdit(" ".join(refusal.messages)) from None
        if saved.reanchored:
            self.message_user(request, f"{saved.reanchored} quote(s) re-anchored in the edited text.", messages.INFO)
        if saved.back_to_review:
            numbers = ", ".join(f"#{claim.pk}" for claim in saved.back_to_review)
            self.message_user(
                request,
                f"A quoted passage changed, so {len(saved.back_to_review)} vetted claim(s) quoting it "
                f"went back to review: {numbers}.",
                messages.WARNING,
            )


@admin.register(Source)
class SourceAdmin(NoLostUpdatesAdmin):
    list_display = ["label", "kind", "reliability", "anonymous", "side", "affiliation", "supports", "contradicts"]
    list_filter = ["kind", "reliability", "anonymous", "side"]
    search_fields = ["label", "description", "affiliation", "side"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_admin_list()

    def save_checked(self, request, obj):
        # Compared with the stored row, so a revert that changes the reliability counts too:
        # every grade citing the source changed, and the claims vetted on them go back to review.
        claims = services.source_save(source=obj, by=request.user)
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
