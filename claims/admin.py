"""The analysts' admin: claims with their evidence inline, entities, and the review workflow."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.models import Attribution, Claim, ClaimRelation, ClaimTransition, Entity


class AttributionInline(admin.StackedInline):
    model = Attribution
    extra = 0
    autocomplete_fields = ["source", "report"]
    fields = [
        ("report", "source"),
        "quote",
        ("start", "end"),
        ("verb", "mode", "stance"),
        ("hedged", "credibility"),
        "note",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "report")


class OutgoingRelationInline(admin.TabularInline):
    model = ClaimRelation
    fk_name = "from_claim"
    extra = 0
    autocomplete_fields = ["to_claim"]
    fields = ["kind", "to_claim", "rationale"]
    verbose_name = "relation to another claim"
    verbose_name_plural = "relations to other claims"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("to_claim")


class TransitionInline(admin.TabularInline):
    model = ClaimTransition
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "by", "comment"]
    readonly_fields = fields
    verbose_name_plural = "review history"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class ClaimAdminForm(forms.ModelForm):
    """The claim form carries the version it was loaded at, so a stale save is refused."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    check_version = True

    class Meta:
        model = Claim
        fields = [
            "statement",
            "original_wording",
            "kind",
            "entities",
            "about_date",
            "about_precision",
            "about_text",
            "likelihood",
            "confidence",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.check_version and self.instance.pk and loaded is not None:
            try:
                services.claim_check_version(claim=self.instance, version=loaded)
            except services.StaleClaim as stale:
                raise ValidationError(str(stale), code="stale") from None
        return cleaned


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    form = ClaimAdminForm
    list_display = [
        "id",
        "short_statement",
        "kind",
        "status",
        "grades",
        "supports_count",
        "contradicts_count",
        "likelihood",
        "confidence",
        "updated_at",
    ]
    list_display_links = ["id", "short_statement"]
    list_filter = [
        "status",
        "kind",
        ("attributions__source__kind", admin.ChoicesFieldListFilter),
        ("attributions__source__reliability", admin.ChoicesFieldListFilter),
        ("attributions__credibility", admin.ChoicesFieldListFilter),
        "likelihood",
        "confidence",
        ("attributions__report", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["statement", "original_wording", "attributions__quote", "attributions__source__label"]
    autocomplete_fields = ["entities"]
    readonly_fields = ["status", "version", "created_by", "created_at", "updated_by", "updated_at"]
    fieldsets = [
        (None, {"fields": ["statement", "original_wording", "kind", "entities", "loaded_version"]}),
        ("Time it is about", {"fields": [("about_date", "about_precision"), "about_text"]}),
        ("Analytic judgement (ICD 203)", {"fields": [("likelihood", "confidence")]}),
        ("Review", {"fields": [("status", "version"), ("created_by", "created_at"), ("updated_by", "updated_at")]}),
    ]
    inlines = [AttributionInline, OutgoingRelationInline, TransitionInline]
    actions = ["submit_claims", "vet_claims", "reject_claims", "retract_claims", "reopen_claims"]
    list_per_page = 50

    def get_queryset(self, request):
        return Claim.objects.for_admin_list()

    @admin.display(description="statement")
    def short_statement(self, claim):
        return str(claim)[len(f"#{claim.pk} ") :]

    @admin.display(description="grades")
    def grades(self, claim):
        return ", ".join(sorted({attribution.grade for attribution in claim.attributions.all()}))

    @admin.display(description="supports", ordering="supports_count")
    def supports_count(self, claim):
        return claim.supports_count

    @admin.display(description="contradicts", ordering="contradicts_count")
    def contradicts_count(self, claim):
        return claim.contradicts_count

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.can_be_deleted:
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # Reverting to a historical version starts from an old version on purpose.
        form.check_version = not getattr(request, "reverting_history", False)
        return form

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.reverting_history = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        version = form.cleaned_data.get("loaded_version") if form.check_version else None
        services.claim_save(claim=obj, by=request.user, version=version)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        substance = bool(services.SUBSTANTIVE_CLAIM_FIELDS & set(form.changed_data)) or any(
            formset.model is Attribution
            and (
                formset.deleted_forms
                or any(
                    f.has_changed() and services.SUBSTANTIVE_ATTRIBUTION_FIELDS & set(f.changed_data)
                    for f in formset.forms
                )
            )
            for formset in formsets
        )
        if change and substance:
            services.claim_substance_changed(claim=form.instance, by=request.user)
            if form.instance.status == Claim.Status.IN_REVIEW:
                self.message_user(
                    request, "The claim's substance changed, so it went back to review.", messages.WARNING
                )

    def _run_transition(self, request, queryset, action: str, done: str):
        moved, refused = 0, []
        for claim in queryset:
            try:
                services.claim_transition(claim=claim, action=action, by=request.user)
                moved += 1
            except PermissionDenied as refusal:
                refused.append(f"#{claim.pk}: {refusal}")
        if moved:
            self.message_user(request, f"{moved} claim(s) {done}.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description="Submit selected claims for review", permissions=["submit"])
    def submit_claims(self, request, queryset):
        self._run_transition(request, queryset, "submit", "submitted for review")

    @admin.action(description="Vet selected claims", permissions=["vet"])
    def vet_claims(self, request, queryset):
        self._run_transition(request, queryset, "vet", "vetted")

    @admin.action(description="Reject selected claims", permissions=["vet"])
    def reject_claims(self, request, queryset):
        self._run_transition(request, queryset, "reject", "rejected")

    @admin.action(description="Retract selected vetted claims", permissions=["retract"])
    def retract_claims(self, request, queryset):
        self._run_transition(request, queryset, "retract", "retracted")

    @admin.action(description="Reopen selected rejected claims as drafts", permissions=["submit"])
    def reopen_claims(self, request, queryset):
        self._run_transition(request, queryset, "reopen", "reopened as drafts")

    def has_submit_permission(self, request):
        return request.user.has_perm("claims.submit_claim")

    def has_vet_permission(self, request):
        return request.user.has_perm("claims.vet_claim")

    def has_retract_permission(self, request):
        return request.user.has_perm("claims.retract_claim")


@admin.register(Entity)
class EntityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "claim_count"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_claim_counts()

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, entity):
        return entity.claim_count


@admin.register(Attribution)
class AttributionAdmin(SimpleHistoryAdmin):
    """Attributions are edited inside their claim; this list is for searching across reports."""

    list_display = ["__str__", "claim", "report", "stance", "mode", "hedged", "credibility"]
    list_filter = ["stance", "mode", "hedged", "credibility", "source__kind"]
    search_fields = ["quote", "source__label", "claim__statement"]
    autocomplete_fields = ["claim", "source", "report"]
    list_select_related = ["claim", "source", "report"]


@admin.register(ClaimRelation)
class ClaimRelationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "from_claim", "kind", "to_claim"]
    list_filter = ["kind"]
    autocomplete_fields = ["from_claim", "to_claim"]
    list_select_related = ["from_claim", "to_claim"]
    search_fields = ["from_claim__statement", "to_claim__statement", "rationale"]
