"""Claims in the admin: their evidence inline, the review workflow, deleting and restoring."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from claims import reads, services
from claims.forms import take_review_step
from claims.models import Attribution, Claim, ClaimRelation, ClaimTransition
from claims.widgets import PreloadedAutocompleteSelect, preload_autocomplete
from sources.admin import LinkInline, NoLostUpdatesAdmin, VersionedForm


def titled(filter_class, title: str):
    """A list filter on a related field, titled for the claim list ("source kind", not a second "kind")."""

    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class AttributionForm(forms.ModelForm):
    """An edited quote or report is located afresh, unless the analyst also set its offsets."""

    class Meta:
        model = Attribution
        fields = [*Attribution.EVIDENCE_FIELDS, "note"]

    def clean(self):
        cleaned = super().clean()
        moved = {"quote", "report"} & set(self.changed_data)
        if self.instance.pk and moved and not {"start", "end"} & set(self.changed_data):
            cleaned["start"] = cleaned["end"] = None
            self.instance.start = self.instance.end = None
        return cleaned


class PreloadedAutocompleteInline:
    """Inline rows render their autocomplete boxes from the objects the inline's queryset preloaded.

    Without it each row's each box costs a query (see `claims.widgets`).
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        names = self.get_autocomplete_fields(request)

        class PreloadingFormSet(formset):
            def _construct_form(self, i, **form_kwargs):
                form = super()._construct_form(i, **form_kwargs)
                preload_autocomplete(form, *names)
                return form

        return PreloadingFormSet


class AttributionInline(PreloadedAutocompleteInline, admin.StackedInline):
    model = Attribution
    form = AttributionForm
    extra = 0
    autocomplete_fields = ["source", "report", "via"]
    fields = [
        ("report", "source"),
        "quote",
        ("start", "end"),
        ("verb", "mode", "stance"),
        ("hedged", "credibility"),
        ("said_on", "via"),
        "note",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "report")


class OutgoingRelationInline(PreloadedAutocompleteInline, LinkInline):
    model = ClaimRelation
    fk_name = "from_claim"
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


class ClaimAdminForm(VersionedForm):
    """The claim form carries the version it was loaded at (`VersionedForm`), checked with the claim's
    own account of what changed: its substance, status, entities and attributions."""

    class Meta:
        model = Claim
        fields = [*Claim.CONTENT_FIELDS, "entities"]

    def check_version(self, version: int) -> None:
        services.claim_check_version(claim=self.instance, version=version)


class WeightFilter(admin.SimpleListFilter):
    """The weight of the evidence, as the claims page and the API filter it."""

    title = "independent origins"
    parameter_name = "weight"
    CHOICES = {
        "single_source": ("single source", {"supporting_origins": 1}),
        "contested": ("contested", {"supporting_origins__gt": 0, "contradicting_origins__gt": 0}),
        "corroborated": ("two parties or more support it", {"supporting_parties__gte": 2}),
        "unsupported": ("nothing supports it", {"supporting_origins": 0}),
    }

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.CHOICES.items()]

    def queryset(self, request, queryset):
        if self.value() in self.CHOICES:
            return queryset.filter(**self.CHOICES[self.value()][1])
        return queryset


@admin.register(Claim)
class ClaimAdmin(NoLostUpdatesAdmin):
    form = ClaimAdminForm
    list_display = [
        "id",
        "short_statement",
        "kind",
        "status",
        "grades",
        "origins",
        "suggested_credibility",
        "likelihood",
        "confidence",
        "updated_at",
    ]
    list_display_links = ["id", "short_statement"]
    list_filter = [
        "status",
        "kind",
        ("attributions__source__kind", titled(admin.ChoicesFieldListFilter, "source kind")),
        ("attributions__source__reliability", titled(admin.ChoicesFieldListFilter, "source reliability")),
        ("attributions__credibility", titled(admin.ChoicesFieldListFilter, "credibility")),
        "likelihood",
        "confidence",
        ("attributions__report", titled(admin.RelatedOnlyFieldListFilter, "report")),
        WeightFilter,
    ]
    search_fields = ["statement", "original_wording", "attributions__quote", "attributions__source__label"]
    autocomplete_fields = ["entities"]
    readonly_fields = ["status", "version", "created_by", "created_at", "updated_by", "updated_at", "weight"]
    fieldsets = [
        (None, {"fields": ["statement", "original_wording", "kind", "entities", "loaded_version"]}),
        ("Time it is about", {"fields": [("about_date", "about_precision"), "about_text"]}),
        ("Analytic judgement (ICD 203)", {"fields": [("likelihood", "confidence")]}),
        ("Corroboration", {"fields": ["weight"]}),
        ("Review", {"fields": [("status", "version"), ("created_by", "created_at"), ("updated_by", "updated_at")]}),
    ]
    inlines = [AttributionInline, OutgoingRelationInline, TransitionInline]
    # Rejecting and retracting need a reason: one claim at a time, from its page.
    actions = ["submit_claims", "vet_claims", "reopen_claims"]
    list_per_page = 50

    def get_queryset(self, request):
        return Claim.objects.for_admin_list()

    def get_urls(self):
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name="claims_claim_deleted"),
            path(
                "restore/<int:history_id>/",
                self.admin_site.admin_view(self.restore_view),
                name="claims_claim_restore",
            ),
            path(
                "<path:object_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="claims_claim_transition",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="statement")
    def short_statement(self, claim):
        return str(claim)[len(f"#{claim.pk} ") :]

    @admin.display(description="independent origins")
    def weight(self, claim):
        """Read-only: what the tracker counts, beside the analyst's grades (computed, never edited here)."""
        if claim.pk is None:
            return "-"
        return render_to_string(
            "claims/_corroboration.html", {"claim": claim, "panel": reads.corroboration_panel(claim)}
        )

    @admin.display(description="grades")
    def grades(self, claim):
        return ", ".join(sorted({attribution.grade for attribution in claim.attributions.all()}))

    @admin.display(description="origins ✓ · ✗", ordering="supporting_origins")
    def origins(self, claim):
        """Independent origins, not mentions (relays count once); a claim on one origin says so."""
        return f"{claim.origins_summary()} (single source)" if claim.is_single_source else claim.origins_summary()

    # Deleting and restoring ---------------------------------------------------

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.can_be_deleted:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.claim_delete(claim=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # The bulk action has refused the whole batch if any claim in it cannot be deleted.
        for claim in queryset:
            services.claim_delete(claim=claim, by=request.user)

    def deleted_view(self, request):
        """Claims deleted and not restored, newest deletion first, each with its history and a restore button."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        deletions = (
            Claim.history.filter(history_type="-")
            .exclude(id__in=Claim.objects.values("id"))
            .select_related("history_user")
            .order_by("-history_date")
        )
        latest = {}
        for record in deletions:
            latest.setdefault(record.id, record)
        context = {
            **self.admin_site.each_context(request),
            "title": "Deleted claims",
            "opts": self.opts,
            "deletions": list(latest.values()),
            "can_restore": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/claims/claim/deleted_claims.html", context)

    @method_decorator(require_POST)
    def restore_view(self, request, history_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return self._restore(request, history_id)

    def _restore(self, request, history_id):
        try:
            restored = services.claim_restore(history_id=history_id, by=request.user)
        except Claim.history.model.DoesNotExist:
            raise Http404 from None
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return redirect("admin:claims_claim_deleted")
        self.message_user(
            request,
            f"Claim #{restored.claim.pk} restored with {restored.attributions} attribution(s) "
            f"and {restored.relations} relation(s).",
            messages.SUCCESS,
        )
        for line in restored.left_out:
            self.message_user(request, f"Not restored: {line}.", messages.WARNING)
        return redirect("admin:claims_claim_change", restored.claim.pk)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        claim_id = unquote(object_id)
        if request.method == "POST" and not Claim.objects.filter(pk=claim_id).exists():
            # Reverting a deleted claim restores it, with the evidence deleted with it.
            if not Claim.history.filter(id=claim_id, history_id=version_id).exists():
                raise Http404
            if not self.has_add_permission(request):
                raise PermissionDenied
            return self._restore(request, int(version_id))
        # The claim and its entities are reverted together or not at all (NoLostUpdatesAdmin's transaction).
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Editing: every write goes through the services, which hold the rules -----------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context.update(obj.review_box(request.user))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed() and not form.reverting:
            return  # the claim's own fields are as loaded; save_related saves it if its evidence changed
        self._save_claim(request, obj, form)

    def save_related(self, request, form, formsets, change):
        if change and not form.has_changed() and any(formset.has_changed() for formset in formsets):
            self._save_claim(request, form.instance, form)  # checks the version, records who changed it
        super().save_related(request, form, formsets, change)
        for warning in Claim.objects.get(pk=form.instance.pk).grade_warnings():
            self.message_user(request, warning, messages.WARNING)

    def save_formset(self, request, form, formset, change):
        writers = {
            Attribution: (services.attribution_save, services.attribution_delete, "attribution"),
            ClaimRelation: (services.relation_save, services.relation_delete, "relation"),
        }
        if formset.model not in writers:
            return super().save_formset(request, form, formset, change)
        save, delete, name = writers[formset.model]
        was_vetted = form.instance.status == Claim.Status.VETTED
        for obj in formset.save(commit=False):
            save(**{name: obj, "by": request.user})
        for obj in formset.deleted_objects:
            delete(**{name: obj, "by": request.user})
        formset.save_m2m()
        if was_vetted and form.instance.status == Claim.Status.IN_REVIEW:
            self._warn_back_to_review(request)

    def _save_claim(self, request, claim, form):
        was_vetted = claim.status == Claim.Status.VETTED
        services.claim_save(claim=claim, by=request.user, version=form.cleaned_data.get("loaded_version"))
        if was_vetted and claim.status == Claim.Status.IN_REVIEW:
            self._warn_back_to_review(request)

    def _warn_back_to_review(self, request):
        self.message_user(
            request, "The claim's substance changed after it was vetted, so it went back to review.", messages.WARNING
        )

    # Workflow -------------------------------------------------------------------

    @method_decorator(require_POST)
    def transition_view(self, request, object_id):
        """A workflow button on the change page: take the step, say how it went, back to the claim."""
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            raise Http404
        if not self.has_view_or_change_permission(request, claim):
            raise PermissionDenied
        if not take_review_step(request, claim):
            return HttpResponseBadRequest("Unknown workflow step.")
        return redirect("admin:claims_claim_change", claim.pk)

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

    @admin.action(description="Reopen selected rejected claims as drafts", permissions=["submit"])
    def reopen_claims(self, request, queryset):
        self._run_transition(request, queryset, "reopen", "reopened as drafts")

    def has_submit_permission(self, request):
        return request.user.has_perm("claims.submit_claim")

    def has_vet_permission(self, request):
        return request.user.has_perm("claims.vet_claim")


class ReadOnlyAdminMixin:
    """Listed and searchable, edited only inside their claim.

    One place to edit a claim's evidence keeps its version check (no lost
    updates), its return to review and its history in one path.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # The delete permission stays as the user's: deleting a claim deletes its evidence with it.
    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied

    # simple-history's revert form checks only the view permission: reading old versions is fine,
    # saving one would change a claim's evidence behind its back.
    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Attribution)
class AttributionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Attributions are edited inside their claim; this list is for searching across reports."""

    list_display = ["__str__", "claim", "report", "stance", "mode", "hedged", "credibility"]
    list_filter = ["stance", "mode", "hedged", "credibility", "source__kind"]
    search_fields = ["quote", "source__label", "claim__statement"]
    autocomplete_fields = ["claim", "source", "report"]
    list_select_related = ["claim", "source", "report"]


@admin.register(ClaimRelation)
class ClaimRelationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Relations are edited on the claim they start from; this list is for searching them all."""

    list_display = ["__str__", "from_claim", "kind", "to_claim"]
    list_filter = ["kind"]
    autocomplete_fields = ["from_claim", "to_claim"]
    list_select_related = ["from_claim", "to_claim"]
    search_fields = ["from_claim__statement", "to_claim__statement", "rationale"]
