"""Admin for reports and sources.

The models of `sources` never depend on `claims`; the admin does, because
what an analyst needs beside a report or a source is the evidence it carries.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from claims.models import Attribution
from sources.models import Report, Source


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
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["title", "outlet", "published", "kind", "body_kind", "language", "attribution_count"]
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
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["label", "kind", "reliability", "anonymous", "side", "affiliation", "supports", "contradicts"]
    list_filter = ["kind", "reliability", "anonymous", "side"]
    search_fields = ["label", "description", "affiliation", "side"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_admin_list()

    @admin.display(description="claims supported", ordering="supports_count")
    def supports(self, source):
        return source.supports_count

    @admin.display(description="claims contradicted", ordering="contradicts_count")
    def contradicts(self, source):
        return source.contradicts_count
