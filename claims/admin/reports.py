"""Reports, sources and entities in the admin, with the evidence each carries beside it."""

import re
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims import annotating, intake, reads, search, services
from claims.extraction import Proposal
from claims.models import QUOTE_LIMIT, STATEMENT_LIMIT, Attribution, Claim, Entity
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

    def clean_body(self):
        # Browsers send a textarea's line breaks as CRLF: a text stored with LF (as pasted, uploaded or loaded)
        # comes back as it was, rather than re-anchoring every quote after the first line break.
        body, stored = self.cleaned_data.get("body"), self.instance.body if self.instance.pk else ""
        if body and "\r" in body and "\r" not in stored:
            body = body.replace("\r\n", "\n")
        return body


# The "Propose attributions" page ----------------------------------------------------------------------------

NEW_CLAIM = "new"
# Rows on one page: each posts up to 19 fields, and Django refuses a POST of more than
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) with a bare 400; a long report's proposals come in pages.
PROPOSALS_PER_PAGE = 40


def _ids(text: str) -> list[int]:
    return [int(pk) for pk in re.findall(r"\d+", text or "")]


class ProposalForm(forms.Form):
    """One proposal on the "Propose attributions" page: ticked, it is recorded as the analyst leaves it.

    What the extractor read and the analyst does not edit (the span, the
    reporting verb, the mode, the source as worded) rides in hidden fields;
    `services.proposals_accept` checks the span against the report's text
    again. A row left unticked is not validated at all.
    """

    accept = forms.BooleanField(required=False, label=_("Accept"))
    quote = forms.CharField(widget=forms.HiddenInput, strip=False, max_length=QUOTE_LIMIT)
    start = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    end = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    verb = forms.CharField(widget=forms.HiddenInput, required=False, max_length=60)
    mode = forms.ChoiceField(widget=forms.HiddenInput, choices=Attribution.Mode.choices)
    description = forms.CharField(widget=forms.HiddenInput, required=False)  # the source as the report words it
    via = forms.CharField(widget=forms.HiddenInput, required=False)
    similar = forms.CharField(widget=forms.HiddenInput, required=False)  # similar claims' ids, best first

    target = forms.ChoiceField(widget=forms.RadioSelect, label=_("Record it as"))
    statement = forms.CharField(
        required=False,
        label=_("Statement"),
        max_length=STATEMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("The new claim's statement (a draft read from the text)."),
    )
    claim_kind = forms.ChoiceField(choices=Claim.Kind.choices, label=_("Kind of claim"))
    source = forms.ChoiceField(required=False, label=_("Source"))
    new_source = forms.CharField(required=False, max_length=200, label=_("or a new source, labelled"))
    source_kind = forms.ChoiceField(choices=Source.Kind.choices, label=_("Source kind"))
    reliability = forms.ChoiceField(
        choices=Source.Reliability.choices, initial=Source.Reliability.F, label=_("Reliability")
    )
    credibility = forms.TypedChoiceField(
        choices=Attribution.Credibility.choices,
        coerce=int,
        initial=Attribution.Credibility.CANNOT_BE_JUDGED,
        label=_("Credibility"),
    )
    hedged = forms.BooleanField(required=False, label=_("Hedged"), help_text=_("Conditional or “reportedly”."))
    stance = forms.ChoiceField(
        choices=Attribution.Stance.choices, initial=Attribution.Stance.SUPPORTS, label=_("Stance")
    )

    def __init__(self, *args, sources: dict[int, Source], claims: dict[int, Claim], can_add_source: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources, self.can_add_source = sources, can_add_source
        self.fields["source"].choices = _source_choices(sources.values())
        self.similar_claims = [claims[pk] for pk in _ids(self["similar"].value()) if pk in claims]
        evidence_for = gettext("evidence for #%(pk)s (%(status)s): %(statement)s")
        self.fields["target"].choices = [
            (NEW_CLAIM, gettext("a new claim")),
            *(
                (
                    str(claim.pk),
                    evidence_for
                    % {"pk": claim.pk, "status": claim.get_status_display().lower(), "statement": claim.statement},
                )
                for claim in self.similar_claims
            ),
        ]

    def reading(self) -> str:
        """What the extractor read, as the row shows it: mode, reporting verb, the source as worded, the relay."""
        value = {name: self[name].value() or "" for name in ("mode", "verb", "description", "via")}
        parts = [
            str(Attribution.Mode(value["mode"]).label) if value["mode"] in Attribution.Mode.values else "",
            f"“{value['verb']}”" if value["verb"] else "",
            gettext("said by “%(source)s”") % {"source": value["description"]} if value["description"] else "",
            gettext("relayed by “%(via)s”") % {"via": value["via"]} if value["via"] else "",
        ]
        return " · ".join(part for part in parts if part)

    def full_clean(self):
        accept = self.fields["accept"].widget.value_from_datadict(self.data, self.files, self.add_prefix("accept"))
        if self.is_bound and not accept:
            self._errors, self.cleaned_data = ErrorDict(), {"accept": False}
            return
        super().full_clean()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") == NEW_CLAIM and not cleaned.get("statement", "").strip():
            self.add_error(
                "statement", gettext("Write the claim's statement, or record the passage as evidence for a claim.")
            )
        source = self.sources.get(int(cleaned["source"])) if cleaned.get("source") else None
        if source is not None:
            for name, value, shown in (
                ("source_kind", source.kind, source.get_kind_display()),
                ("reliability", source.reliability, source.reliability),
            ):
                if cleaned.get(name) not in (None, value):
                    self.add_error(
                        name,
                        gettext(
                            "“%(source)s” is on file as %(value)s: keep that, or record a new source. "
                            "A source is changed on its own page."
                        )
                        % {"source": source.label, "value": shown},
                    )
        elif not cleaned.get("new_source", "").strip() and "source" not in self.errors:
            self.add_error("new_source", gettext("Choose a source, or label a new one."))
        elif not self.can_add_source:
            self.add_error("new_source", gettext("Your account may not add sources: choose an existing one."))
        return cleaned

    def draft(self, number: int) -> services.ProposalDraft:
        data = self.cleaned_data
        source = (
            self.sources[int(data["source"])]
            if data["source"]
            else services.NewSource(
                label=data["new_source"].strip(),
                kind=data["source_kind"],
                reliability=data["reliability"],
                description=data["description"],
            )
        )
        evidence_for = next((c for c in self.similar_claims if str(c.pk) == data["target"]), None)
        return services.ProposalDraft(
            number=number,
            quote=data["quote"],
            start=data["start"],
            end=data["end"],
            source=source,
            statement=data["statement"].strip(),
            claim_kind=data["claim_kind"],
            evidence_for=evidence_for,
            verb=data["verb"],
            mode=data["mode"],
            hedged=data["hedged"],
            stance=data["stance"],
            credibility=data["credibility"],
            note=f"Relayed, as the report words it, by {data['via']}." if data["via"] else "",
        )


def _source_choices(sources) -> list:
    """Existing sources grouped by kind (a select's option groups), after the choice of a new one."""
    groups: dict[str, list] = {}
    for source in sources:
        groups.setdefault(source.get_kind_display(), []).append((str(source.pk), str(source)))
    return [("", gettext("— a new source (label below) —")), *groups.items()]


class BaseProposalFormSet(forms.BaseFormSet):
    def clean(self):
        if not any(form.cleaned_data.get("accept") for form in self.forms):
            raise ValidationError(_("Tick at least one proposal to accept: nothing was recorded."))


ProposalFormSet = forms.formset_factory(
    ProposalForm, formset=BaseProposalFormSet, extra=0, max_num=5000, absolute_max=5000
)


def _initial(proposal: Proposal, sources: dict[int, Source]) -> dict:
    """A proposal as its form starts: as read, matched to an existing source when one fits, nothing ticked."""
    matched = sources.get(proposal.source_id)
    return {
        "quote": proposal.quote,
        "start": proposal.start,
        "end": proposal.end,
        "verb": proposal.verb[:60],
        "mode": proposal.mode,
        "description": proposal.source,
        "via": proposal.via,
        "similar": ",".join(map(str, proposal.similar_claims)),
        "target": NEW_CLAIM,
        "statement": proposal.statement,
        "claim_kind": proposal.claim_kind,
        "source": str(matched.pk) if matched else "",
        "new_source": proposal.source[:200],
        "source_kind": matched.kind if matched else proposal.source_kind,
        "reliability": matched.reliability if matched else Source.Reliability.F,
        "hedged": proposal.hedged,
    }


@dataclass(frozen=True)
class ProposalPage:
    """Which proposals a page shows: numbers `start` to `end` (from 1) of `total`."""

    number: int
    total: int

    @property
    def start(self) -> int:
        return (self.number - 1) * PROPOSALS_PER_PAGE + 1

    @property
    def end(self) -> int:
        return min(self.number * PROPOSALS_PER_PAGE, self.total)

    @property
    def pages(self) -> range:
        return range(1, max(1, -(-self.total // PROPOSALS_PER_PAGE)) + 1)


def _page_number(asked: str | None, total: int = 0) -> ProposalPage:
    """The page asked for (`?page=`), within the pages there are once `total` is known."""
    number = int(asked) if asked and asked.isdigit() and int(asked) > 0 else 1
    page = ProposalPage(number, total)
    return ProposalPage(min(number, page.pages[-1]), total) if total else page


@dataclass(frozen=True)
class ProposedSpan:
    """A proposal's passage in the text, numbered as on the page (what `annotating.segment` cuts by)."""

    number: int
    start: int
    end: int


@admin.register(Report)
class ReportAdmin(sources_admin.ReportAdmin):
    form = ReportAdminForm
    list_display = [*sources_admin.ReportAdmin.list_display, "attribution_count"]
    readonly_fields = [*sources_admin.ReportAdmin.readonly_fields, "attributions_in_text_order"]
    search_fields = search.REPORT_FIELDS  # as /search/: by `claims.search`
    actions = ["propose_attributions"]

    def get_urls(self):
        propose = path(
            "<path:object_id>/propose/", self.admin_site.admin_view(self.propose_view), name="sources_report_propose"
        )
        return [propose, *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_propose"] = obj is not None and obj.pk is not None and self.has_propose_permission(request)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Proposed attributions ------------------------------------------------------------------------------------

    def has_propose_permission(self, request) -> bool:
        """Accepting a proposal writes a claim and its attribution."""
        return request.user.has_perms(["claims.add_claim", "claims.add_attribution"])

    @admin.action(description=_("Propose attributions"), permissions=["propose"])
    def propose_attributions(self, request, queryset):
        chosen = list(queryset.values_list("pk", flat=True)[:2])
        if len(chosen) != 1:
            self.message_user(
                request, _("Attributions are proposed one report at a time: select one."), messages.WARNING
            )
            return None
        return redirect("admin:sources_report_propose", chosen[0])

    def propose_view(self, request, object_id):
        """The report's proposed attributions beside its text, each to tick, edit and accept (all or nothing)."""
        report = self.get_object(request, unquote(object_id))
        if report is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not (self.has_view_permission(request, report) and self.has_propose_permission(request)):
            raise PermissionDenied
        page = _page_number(request.GET.get("page"))
        proposed = None
        if request.method == "POST":
            formset = self._proposal_formset(request, data=request.POST)
            if formset.is_valid() and self._accept(request, report, formset, first=page.start):
                return redirect("admin:sources_report_change", report.pk)
        else:
            proposed = intake.unrecorded_proposals(report)
            page = _page_number(request.GET.get("page"), len(proposed.proposals))
            formset = self._proposal_formset(request, proposed=proposed, page=page)
        context = self._propose_context(request, report, formset, proposed, page)
        return TemplateResponse(request, "admin/sources/report/propose.html", context)

    def _proposal_formset(self, request, *, proposed=None, page=None, data=None) -> BaseProposalFormSet:
        """The rows of one page, from the proposals (a GET) or as posted: sources and similar claims read once."""
        sources = {source.pk: source for source in (proposed.sources if proposed else Source.objects.all())}
        shown = proposed.proposals[page.start - 1 : page.end] if proposed is not None else []
        if proposed is not None:
            similar = {pk for proposal in shown for pk in proposal.similar_claims}
        else:
            similar = {pk for key, value in data.items() if key.endswith("-similar") for pk in _ids(value)}
        claims = Claim.objects.filter(pk__in=similar).in_bulk()
        kwargs = {"sources": sources, "claims": claims, "can_add_source": request.user.has_perm("sources.add_source")}
        if proposed is not None:
            return ProposalFormSet(initial=[_initial(p, sources) for p in shown], form_kwargs=kwargs)
        return ProposalFormSet(data=data, form_kwargs=kwargs)

    def _accept(self, request, report, formset, *, first: int) -> bool:
        """Record the ticked rows through the service; on a refusal, say which and why beside it."""
        rows = enumerate(formset.forms, first)
        drafts = [form.draft(number) for number, form in rows if form.cleaned_data.get("accept")]
        try:
            accepted = services.proposals_accept(report=report, drafts=drafts, by=request.user)
        except services.ProposalRefused as refused:
            form = formset.forms[refused.number - first]
            for name, reasons in refused.errors.items():
                form.add_error(
                    "new_source" if name == "source" and not form.cleaned_data.get("source") else name, reasons
                )
            self.message_user(request, str(refused), messages.ERROR)
            return False
        self.message_user(request, f"{accepted.summary()}.", messages.SUCCESS)
        if accepted.new_sources:
            labels = ", ".join(f"“{source.label}”" for source in accepted.new_sources)
            self.message_user(request, gettext("New source(s): %(labels)s.") % {"labels": labels}, messages.INFO)
        if accepted.back_to_review:
            numbers = ", ".join(f"#{claim.pk}" for claim in accepted.back_to_review)
            self.message_user(
                request,
                gettext("Vetted claim(s) given new evidence went back to review: %(numbers)s.") % {"numbers": numbers},
                messages.WARNING,
            )
        return True

    def _propose_context(self, request, report, formset, proposed, page) -> dict:
        spans = []
        for number, form in enumerate(formset.forms, page.start):
            try:
                spans.append(ProposedSpan(number, int(form["start"].value()), int(form["end"].value())))
            except (TypeError, ValueError):
                continue  # a row posted without its span: its own error says so
        return {
            **self.admin_site.each_context(request),
            "title": gettext("Propose attributions"),
            "subtitle": str(report),
            "opts": self.opts,
            "original": report,
            "report": report,
            "formset": formset,
            "rows": list(enumerate(formset.forms, page.start)),
            "segments": annotating.segment(report.body, spans),
            "recorded": proposed.recorded if proposed else None,
            "page": page,
            "media": self.media + formset.media,
        }

    def get_queryset(self, request):
        return reads.reports_with_attribution_counts(super().get_queryset(request))

    def get_search_results(self, request, queryset, search_term):
        return search.matching(queryset, search_term, self.search_fields), False  # subqueries: no duplicates

    @admin.display(description=_("attributions"), ordering="attribution_count")
    def attribution_count(self, report):
        return report.attribution_count

    @admin.display(description=_("attributions, in text order"))
    def attributions_in_text_order(self, report):
        """Read-only, from one query: attributions are edited on their claim, never validated here."""
        if report.pk is None:
            return "-"
        hedged = gettext("hedged")
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
                    hedged if attribution.hedged else "",
                )
                for attribution in Attribution.objects.for_report(report)
            ),
        )
        if not rows:
            return gettext("None yet.")
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
            "<th>{}</th><th></th></tr></thead><tbody>{}</tbody></table>",
            gettext("span"),
            gettext("quote"),
            gettext("source"),
            gettext("grade"),
            gettext("claim"),
            gettext("stance"),
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
            self.message_user(
                request,
                gettext("%(count)s quote(s) re-anchored in the edited text.") % {"count": saved.reanchored},
                messages.INFO,
            )
        if saved.back_to_review:
            numbers = ", ".join(f"#{claim.pk}" for claim in saved.back_to_review)
            self.message_user(
                request,
                gettext(
                    "A quoted passage changed, so %(count)s vetted claim(s) quoting it went back to review: "
                    "%(numbers)s."
                )
                % {"count": len(saved.back_to_review), "numbers": numbers},
                messages.WARNING,
            )


@admin.register(Source)
class SourceAdmin(sources_admin.SourceAdmin):
    list_display = [*sources_admin.SourceAdmin.list_display, "supported_claims", "suggested_reliability"]
    readonly_fields = [*sources_admin.SourceAdmin.readonly_fields, "track_record"]
    search_fields = search.SOURCE_FIELDS  # as /search/: by `claims.search`

    def get_queryset(self, request):
        return reads.sources_for_admin_list(super().get_queryset(request), request.user)

    def get_search_results(self, request, queryset, search_term):
        return search.matching(queryset, search_term, self.search_fields), False  # subqueries: no duplicates

    def save_checked(self, request, obj, version):
        # Compared with the stored row, so a revert that changes the reliability counts too:
        # every grade citing the source changed, and the claims vetted on them go back to review.
        claims = services.source_save(source=obj, by=request.user, version=version)
        if claims:
            numbers = ", ".join(f"#{claim.pk}" for claim in claims)
            self.message_user(
                request,
                gettext(
                    "The source's reliability changed, so %(count)s vetted claim(s) citing it went back to review: "
                    "%(numbers)s."
                )
                % {"count": len(claims), "numbers": numbers},
                messages.WARNING,
            )

    @admin.display(description=_("claims it supported"))
    def supported_claims(self, source):
        record = source.track_record
        return gettext("%(stand)s stand · %(failed)s failed · %(open)s open") % {
            "stand": record.stand,
            "failed": record.failed,
            "open": record.open,
        }

    @admin.display(description=_("suggested reliability"))
    def suggested_reliability(self, source):
        return source.track_record.suggested_reliability or "-"

    @admin.display(description=_("track record"))
    def track_record(self, source):
        """On the change page: the record, and the reliability it suggests (never applied)."""
        record = getattr(source, "track_record", None)
        if record is None:
            return "-"
        counts = {"stand": record.stand, "failed": record.failed, "open": record.open}
        if record.source != source.pk:
            shown = gettext(
                "Of the claims it supported as an independent origin: %(stand)s stand, %(failed)s failed, "
                "%(open)s open; shared with “%(label)s”, the same speaker."
            ) % {**counts, "label": record.label}
        else:
            shown = (
                gettext(
                    "Of the claims it supported as an independent origin: %(stand)s stand, %(failed)s failed, "
                    "%(open)s open."
                )
                % counts
            )
        if record.suggested_reliability:
            suggestion = gettext("Suggests %(reliability)s (suggested, never applied).") % {
                "reliability": record.suggested_reliability.label
            }
        else:
            suggestion = gettext("No suggestion before %(count)s claims stand or failed.") % {
                "count": reads.RESOLVED_FOR_SUGGESTION
            }
        return f"{shown} {suggestion}"


@admin.register(Entity)
class EntityAdmin(sources_admin.NoLostUpdatesAdmin):
    list_display = ["name", "kind", "claim_count"]
    list_filter = ["kind"]
    search_fields = search.ENTITY_FIELDS  # as /entities/, the API and /search/: by `claims.search`

    def get_queryset(self, request):
        return super().get_queryset(request).with_claim_counts()

    def get_search_results(self, request, queryset, search_term):
        return search.matching(queryset, search_term, self.search_fields), False  # subqueries: no duplicates

    def save_checked(self, request, obj, version):
        services.entity_save(entity=obj, by=request.user, version=version)

    @admin.display(description=_("claims"), ordering="claim_count")
    def claim_count(self, entity):
        return entity.claim_count
