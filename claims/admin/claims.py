"""Claims in the admin: their evidence inline, the review workflow, deleting and restoring,
a passage of a report attributed from its page, and the claims like the one being written."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from claims import reads, search, services
from claims.forms import take_review_step
from claims.intake import similar_claims_ranker
from claims.models import QUOTE_LIMIT, Attribution, Claim, ClaimRelation, ClaimTransition
from claims.widgets import PreloadedAutocompleteSelect, preload_autocomplete
from sources.admin import LinkInline, NoLostUpdatesAdmin, VersionedForm
from sources.models import Report


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


# A passage of a report, chosen on its page ---------------------------------------------------------

PASSAGE_PARAMETERS = ("report", "start", "end")


@dataclass(frozen=True)
class Passage:
    """A passage of a report's body: `quote` is `report.body[start:end]`, always."""

    report: Report
    start: int
    end: int

    @property
    def quote(self) -> str:
        return self.report.body[self.start : self.end]

    @property
    def query(self) -> str:
        """The query string that opens a claim form with this passage filled in (offsets as the page counts)."""
        shown = [offset - self.report.body.count("\r\n", 0, offset) for offset in (self.start, self.end)]
        return urlencode({"report": self.report.pk, "start": shown[0], "end": shown[1]})

    def inline_initial(self) -> dict:
        return {"report": self.report.pk, "quote": self.quote, "start": self.start, "end": self.end}


def _body_offsets(body: str) -> list[int]:
    """For each character of the body as a browser shows it, then for its end, its offset in `body`.

    HTML reads a line end written "\r\n" as one character, so the page's offsets skip each "\r" of a pair.
    """
    if "\r" not in body:
        return list(range(len(body) + 1))
    return [*(i for i, char in enumerate(body) if not (char == "\r" and body[i + 1 : i + 2] == "\n")), len(body)]


class PassageForm(forms.Form):
    """`?report=&start=&end=` on the claim form: a passage selected on the report's page.

    Only the report and the offsets come from the URL; the quote is read from
    the body, so nothing else can be slipped into the form. The offsets count
    the characters of the text as the page shows it; surrounding whitespace is
    left out.
    """

    report = forms.ModelChoiceField(
        queryset=Report.objects.none(),
        error_messages={"required": _("no report given"), "invalid_choice": _("there is no such report")},
    )
    start = forms.IntegerField(
        min_value=0,
        error_messages={"required": _("no start given"), "invalid": _("start and end are whole numbers")},
    )
    end = forms.IntegerField(
        min_value=0, error_messages={"required": _("no end given"), "invalid": _("start and end are whole numbers")}
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        self.fields["report"].queryset = reads.reports_visible_to(user)

    def clean(self) -> dict:
        cleaned = super().clean()
        report, start, end = cleaned.get("report"), cleaned.get("start"), cleaned.get("end")
        if report is None or start is None or end is None:
            return cleaned
        offsets = _body_offsets(report.body)
        if not start < end < len(offsets):
            length = len(offsets) - 1
            raise ValidationError(
                ngettext(
                    "%(start)s–%(end)s is not a passage of the report's %(length)s character",
                    "%(start)s–%(end)s is not a passage of the report's %(length)s characters",
                    length,
                )
                % {"start": start, "end": end, "length": length}
            )
        start, end = offsets[start], offsets[end]
        text = report.body[start:end]
        start, end = start + len(text) - len(text.lstrip()), end - (len(text) - len(text.rstrip()))
        if start >= end:
            raise ValidationError(_("the passage is blank"))
        if end - start > QUOTE_LIMIT:
            raise ValidationError(
                gettext("the passage is longer than a quote may be (%(limit)s characters)")
                % {"limit": number_format(QUOTE_LIMIT, force_grouping=True)}
            )
        cleaned["passage"] = Passage(report=report, start=start, end=end)
        return cleaned

    def refusal(self) -> str:
        reasons = dict.fromkeys(message for messages_ in self.errors.values() for message in messages_)
        return gettext("Nothing was filled in from the passage: %(reasons)s. Select it again on the report's page.") % {
            "reasons": "; ".join(reasons)
        }


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

    def get_extra(self, request, obj=None, **kwargs):
        # One blank row for a passage selected on a report's page (`ClaimAdmin.get_formset_kwargs` fills it).
        return 1 if getattr(request, "passage", None) else self.extra


class OutgoingRelationInline(PreloadedAutocompleteInline, LinkInline):
    model = ClaimRelation
    fk_name = "from_claim"
    autocomplete_fields = ["to_claim"]
    fields = ["kind", "to_claim", "rationale"]
    verbose_name = _("relation to another claim")
    verbose_name_plural = _("relations to other claims")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("to_claim")


class TransitionInline(admin.TabularInline):
    model = ClaimTransition
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "by", "comment"]
    readonly_fields = fields
    verbose_name_plural = _("review history")

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

    title = _("independent origins")
    parameter_name = "weight"
    CHOICES = {
        "single_source": (_("single source"), {"supporting_origins": 1}),
        "contested": (_("contested"), {"supporting_origins__gt": 0, "contradicting_origins__gt": 0}),
        "corroborated": (_("two parties or more support it"), {"supporting_parties__gte": 2}),
        "unsupported": (_("nothing supports it"), {"supporting_origins": 0}),
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
    # Fits a 1366 px screen beside the filters (tests/e2e/test_screens.py): the statement truncated (whole in
    # its tooltip), short headers, the date without the time; kind and the grades are in the filters.
    list_display = [
        "id",
        "short_statement",
        "status",
        "grades",
        "origins",
        "suggested",
        "likelihood",
        "confidence",
        "updated",
    ]
    list_display_links = ["id", "short_statement"]
    list_filter = [
        "status",
        "kind",
        ("attributions__source__kind", titled(admin.ChoicesFieldListFilter, _("source kind"))),
        ("attributions__source__reliability", titled(admin.ChoicesFieldListFilter, _("source reliability"))),
        ("attributions__credibility", titled(admin.ChoicesFieldListFilter, _("credibility"))),
        "likelihood",
        "confidence",
        ("attributions__report", titled(admin.RelatedOnlyFieldListFilter, _("report"))),
        WeightFilter,
    ]
    search_fields = search.CLAIM_FIELDS  # as the claims list and /search/: by `claims.search`
    autocomplete_fields = ["entities"]
    readonly_fields = ["status", "version", "created_by", "created_at", "updated_by", "updated_at", "weight"]
    fieldsets = [
        (None, {"fields": ["statement", "original_wording", "kind", "entities", "loaded_version"]}),
        (_("Time it is about"), {"fields": [("about_date", "about_precision"), "about_text"]}),
        (_("Analytic judgement (ICD 203)"), {"fields": [("likelihood", "confidence")]}),
        (_("Corroboration"), {"fields": ["weight"]}),
        (
            _("Review"),
            {"fields": [("status", "version"), ("created_by", "created_at"), ("updated_by", "updated_at")]},
        ),
    ]
    inlines = [AttributionInline, OutgoingRelationInline, TransitionInline]
    # Rejecting and retracting need a reason: one claim at a time, from its page.
    actions = ["submit_claims", "vet_claims", "reopen_claims"]
    list_per_page = 50

    def get_queryset(self, request):
        return Claim.objects.for_admin_list()

    def get_search_results(self, request, queryset, search_term):
        return search.matching(queryset, search_term, self.search_fields), False  # subqueries: no duplicates

    def get_urls(self):
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name="claims_claim_deleted"),
            path(
                "restore/<int:history_id>/",
                self.admin_site.admin_view(self.restore_view),
                name="claims_claim_restore",
            ),
            path("similar/", self.admin_site.admin_view(self.similar_view), name="claims_claim_similar"),
            path(
                "<path:object_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="claims_claim_transition",
            ),
            *super().get_urls(),
        ]

    # The changelist's column widths (`short_statement` wide enough to read, the short columns unwrapped).
    class Media:
        css = {"all": ["css/admin-claims.css"]}

    STATEMENT_SHOWN = 110  # characters of a statement in the list; the whole of it in the tooltip

    @admin.display(description=_("statement"))
    def short_statement(self, claim):
        statement = str(claim)[len(f"#{claim.pk} ") :]
        return format_html('<span title="{}">{}</span>', statement, Truncator(statement).chars(self.STATEMENT_SHOWN))

    @admin.display(description=_("sugg."), ordering="suggested_credibility")
    def suggested(self, claim):
        return claim.suggested_credibility

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated(self, claim):
        when = localtime(claim.updated_at)
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            when.isoformat(),
            date_format(when, "DATETIME_FORMAT"),
            date_format(when, "SHORT_DATE_FORMAT"),
        )

    @admin.display(description=_("independent origins"))
    def weight(self, claim):
        """Read-only: what the tracker counts, beside the analyst's grades (computed, never edited here)."""
        if claim.pk is None:
            return "-"
        return render_to_string(
            "claims/_corroboration.html", {"claim": claim, "panel": reads.corroboration_panel(claim)}
        )

    @admin.display(description=_("grades"))
    def grades(self, claim):
        return ", ".join(sorted({attribution.grade for attribution in claim.attributions.all()}))

    @admin.display(description=_("origins ✓ · ✗"), ordering="supporting_origins")
    def origins(self, claim):
        """Independent origins, not mentions (relays count once); a claim on one origin says so."""
        if claim.is_single_source:
            return gettext("%(origins)s (single source)") % {"origins": claim.origins_summary()}
        return claim.origins_summary()

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
            "title": gettext("Deleted claims"),
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
            gettext("Claim #%(pk)s restored with %(attributions)s attribution(s) and %(relations)s relation(s).")
            % {"pk": restored.claim.pk, "attributions": restored.attributions, "relations": restored.relations},
            messages.SUCCESS,
        )
        for line in restored.left_out:
            self.message_user(request, gettext("Not restored: %(reason)s.") % {"reason": line}, messages.WARNING)
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

    # A passage selected on a report's page, and the claims like it ----------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """`?report=&start=&end=` fills the claim form's first new attribution with that passage (GET only:
        the form posts back to the same URL, and what it posts is what the analyst kept)."""
        asked = request.method == "GET" and any(name in request.GET for name in PASSAGE_PARAMETERS)
        if asked and request.user.has_perm("claims.add_attribution"):
            chosen = PassageForm(request.GET, user=request.user)
            if chosen.is_valid():
                request.passage = chosen.cleaned_data["passage"]
            else:
                self.message_user(request, chosen.refusal(), messages.ERROR)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name in PASSAGE_PARAMETERS:
            initial.pop(name, None)
        passage = getattr(request, "passage", None)
        if passage is not None:
            initial["original_wording"] = passage.quote
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        passage = getattr(request, "passage", None)
        if passage is not None and isinstance(inline, AttributionInline):
            kwargs["initial"] = [passage.inline_initial()]
        return kwargs

    def similar_claims(self, request, *texts: str, exclude: int | None = None) -> list[Claim]:
        """The claims `request.user` may read that are most like `texts`, best first, without `exclude`.

        Three queries whatever the number of claims: the ranker's two (wordings, entities), then the claims.
        """
        if not any(text.strip() for text in texts):
            return []
        ranked = [pk for pk in similar_claims_ranker()(*texts) if pk != exclude]
        found = Claim.objects.visible_to(request.user).in_bulk(ranked)
        return [found[pk] for pk in ranked if pk in found]

    def similar_view(self, request):
        """`similar/?text=…&exclude=ID`: the claims like a statement or quote being typed, as JSON, best first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        exclude = request.GET.get("exclude", "")
        claims = self.similar_claims(
            request, request.GET.get("text", "")[:QUOTE_LIMIT], exclude=int(exclude) if exclude.isdigit() else None
        )
        return JsonResponse(
            [
                {
                    "id": claim.pk,
                    "statement": claim.statement,
                    "status": claim.status,
                    "url": reverse("admin:claims_claim_change", args=[claim.pk]),
                }
                for claim in claims
            ],
            safe=False,
        )

    # Editing: every write goes through the services, which hold the rules -----------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context.update(obj.review_box(request.user))
        passage = getattr(request, "passage", None)
        if passage is not None:
            similar = self.similar_claims(request, passage.quote, exclude=obj.pk if obj else None)
            context.update(passage=passage, similar_claims=similar)
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
            request,
            _("The claim's substance changed after it was vetted, so it went back to review."),
            messages.WARNING,
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
            return HttpResponseBadRequest(gettext("Unknown workflow step."))
        return redirect("admin:claims_claim_change", claim.pk)

    def _run_transition(self, request, queryset, action: str, done: str):
        """Take `action` on each claim; `done` says how many moved ("%(count)s claim(s) vetted.")."""
        moved, refused = 0, []
        for claim in queryset:
            try:
                services.claim_transition(claim=claim, action=action, by=request.user)
                moved += 1
            except PermissionDenied as refusal:
                refused.append(gettext("#%(pk)s: %(refusal)s") % {"pk": claim.pk, "refusal": refusal})
        if moved:
            self.message_user(request, done % {"count": moved}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_("Submit selected claims for review"), permissions=["submit"])
    def submit_claims(self, request, queryset):
        self._run_transition(request, queryset, "submit", gettext("%(count)s claim(s) submitted for review."))

    @admin.action(description=_("Vet selected claims"), permissions=["vet"])
    def vet_claims(self, request, queryset):
        self._run_transition(request, queryset, "vet", gettext("%(count)s claim(s) vetted."))

    @admin.action(description=_("Reopen selected rejected claims as drafts"), permissions=["submit"])
    def reopen_claims(self, request, queryset):
        self._run_transition(request, queryset, "reopen", gettext("%(count)s claim(s) reopened as drafts."))

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

    def get_search_results(self, request, queryset, search_term):
        return search.matching(queryset, search_term, self.search_fields), False  # subqueries: no duplicates


@admin.register(ClaimRelation)
class ClaimRelationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Relations are edited on the claim they start from; this list is for searching them all."""

    list_display = ["__str__", "from_claim", "kind", "to_claim"]
    list_filter = ["kind"]
    autocomplete_fields = ["from_claim", "to_claim"]
    list_select_related = ["from_claim", "to_claim"]
    search_fields = ["from_claim__statement", "to_claim__statement", "rationale"]

    def get_search_results(self, request, queryset, search_term):
        return search.matching(queryset, search_term, self.search_fields), False  # subqueries: no duplicates
