"""Reports, sources and entities in the admin, with the evidence each carries beside it."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from claims import reads, services
from claims.models import Attribution, Entity
from claimtracker.versioning import StaleEdit
from sources import admin as sources_admin
from sources.models import Report, Source


class ReportAdminForm(sources_admin.VersionedForm):
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
class ReportAdmin(sources_admin.ReportAdmin):
    form = ReportAdminForm
    list_display = [*sources_admin.ReportAdmin.list_display, "attribution_count"]
    readonly_fields = [*sources_admin.ReportAdmin.readonly_fields, "attributions_in_text_order"]

    def get_queryset(self, request):
        return reads.reports_with_attribution_counts(super().get_queryset(request))

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

    def save_formset(self, request, form, formset, change):
        # Derivations move the weight of the claims the report carries: written through the service.
        for derivation in formset.save(commit=False):
            services.derivation_save(derivation=derivation, by=request.user)
        for derivation in formset.deleted_objects:
            services.derivation_delete(derivation=derivation, by=request.user)

    def save_checked(self, request, obj, version):
        try:
            saved = services.report_save(report=obj, by=request.user, version=version)
        except ValidationError as refusal:
            # The form checked the quotes; this is a change that came in between: nothing was written.
            raise StaleEdit(obj, [], [], message=" ".join(refusal.messages)) from refusal
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
class SourceAdmin(sources_admin.SourceAdmin):
    list_display = [*sources_admin.SourceAdmin.list_display, "supported_claims", "suggested_reliability"]
    readonly_fields = [*sources_admin.SourceAdmin.readonly_fields, "track_record"]

    def get_queryset(self, request):
        return reads.sources_for_admin_list(super().get_queryset(request), request.user)

    def save_checked(self, request, obj, version):
        # Compared with the stored row, so a revert that changes the reliability counts too:
        # every grade citing the source changed, and the claims vetted on them go back to review.
        claims = services.source_save(source=obj, by=request.user, version=version)
        if claims:
            numbers = ", ".join(f"#{claim.pk}" for claim in claims)
            self.message_user(
                request,
                f"The source's reliability changed, so {len(claims)} vetted claim(s) citing it "
                f"went back to review: {numbers}.",
                messages.WARNING,
            )

    @admin.display(description="claims it supported")
    def supported_claims(self, source):
        record = source.track_record
        return f"{record.stand} stand · {record.failed} failed · {record.open} open"

    @admin.display(description="suggested reliability")
    def suggested_reliability(self, source):
        return source.track_record.suggested_reliability or "-"

    @admin.display(description="track record")
    def track_record(self, source):
        """On the change page: the record, and the reliability it suggests (never applied)."""
        record = getattr(source, "track_record", None)
        if record is None:
            return "-"
        shared = f"; shared with “{record.label}”, the same speaker" if record.source != source.pk else ""
        suggestion = (
            f"suggests {record.suggested_reliability.label} (suggested, never applied)"
            if record.suggested_reliability
            else f"no suggestion before {reads.RESOLVED_FOR_SUGGESTION} claims stand or failed"
        )
        return (
            f"Of the claims it supported as an independent origin: {record.stand} stand, {record.failed} failed, "
            f"{record.open} open{shared}. {suggestion[0].upper()}{suggestion[1:]}."
        )


@admin.register(Entity)
class EntityAdmin(sources_admin.NoLostUpdatesAdmin):
    list_display = ["name", "kind", "claim_count"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_claim_counts()

    def save_checked(self, request, obj, version):
        services.entity_save(entity=obj, by=request.user, version=version)

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, entity):
        return entity.claim_count
