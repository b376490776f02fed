"""Claim and entity filters: one definition, used by the claims page and the API.

Visibility is decided before filtering (`Claim.objects.visible_to(user)`),
so no filter can reach a claim its user may not read.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from claims import reads, search
from claims.models import Attribution, Claim, Entity
from claims.widgets import LookupSelect, LookupSelectMultiple
from sources.filtersets import StableOrderingFilter, TrueFalseFilter
from sources.models import Report, Source


class _IdsField(django_filters.fields.ModelMultipleChoiceField):
    """Refuses ids beyond a 64-bit integer: the database would fail on them (a 500) rather than find nothing."""

    def _check_values(self, value):
        for pk in value:
            if str(pk).lstrip("-").isdigit() and not -(2**63) <= int(pk) < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class _IdsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = _IdsField


class _StorableDateTimeField(django_filters.fields.IsoDateTimeField):
    """Refuses timestamps that leave the years 1-9999 once in UTC (SQLite would fail on them: a 500), and
    hands the query the moment in UTC (PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows)."""

    def clean(self, value):
        moment = super().clean(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError("Enter a date/time between the years 1 and 9999.", code="invalid") from None


class _StorableDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _StorableDateTimeField


def _evidence(**conditions) -> Exists:
    """ "The claim has an attribution that meets `conditions`": `EXISTS` on the attributions' claim index, so a
    page of claims keeps its order and seeks, and no claim is listed twice (no join, no DISTINCT)."""
    return Exists(Attribution.objects.filter(claim=OuterRef("pk"), **conditions))


def _entities_for(request):
    """Entity choices: those the requesting user may see, so an unseen entity's id is as invalid as a missing one."""
    return Entity.objects.all() if request is None else Entity.objects.visible_to(request.user)


def _reports_for(request):
    return Report.objects.all() if request is None else reads.reports_visible_to(request.user)


class ClaimFilterSet(django_filters.FilterSet):
    # The short multiple choices are checkboxes on the claims page (a multi-select needs Ctrl-click);
    # the widget changes nothing for the API, which reads repeated parameters either way. Those on the
    # claim's own columns join nothing, so they need no DISTINCT (which would sort every match).
    status = django_filters.MultipleChoiceFilter(
        distinct=False,
        choices=Claim.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Review status. API consumers only ever see vetted claims."),
    )
    kind = django_filters.MultipleChoiceFilter(
        distinct=False, choices=Claim.Kind.choices, widget=forms.CheckboxSelectMultiple, help_text=_("Kind of claim.")
    )
    # The filters on a claim's evidence are `EXISTS` on the claim's attributions (methods below); their
    # `field_name` describes them to the API schema.
    source_kind = django_filters.MultipleChoiceFilter(
        field_name="attributions__source__kind",
        method="filter_source_kind",
        choices=Source.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Source kind"),
        help_text=_("Claims with at least one attribution to a source of this kind."),
    )
    reliability = django_filters.ChoiceFilter(
        choices=Source.Reliability.choices,
        method="filter_reliability",
        label=_("Source reliability at or above"),
        help_text=_("Claims with a source graded at or above this Admiralty reliability (A best, F worst)."),
    )
    # ChoiceFilter, not TypedChoiceFilter: only ChoiceFilter offers an empty choice, without which the
    # claims page's form submits "1" and filters out most claims. The lookup casts "3" to an integer.
    credibility = django_filters.ChoiceFilter(
        field_name="attributions__credibility",  # for the API schema; the method does the filtering
        choices=Attribution.Credibility.choices,
        method="filter_credibility",
        label=_("Credibility at or better than"),
        help_text=_(
            "Claims with an attribution graded at or better than this Admiralty credibility (1 best, 6 worst)."
        ),
    )
    likelihood = django_filters.MultipleChoiceFilter(
        distinct=False,
        choices=Claim.Likelihood.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("ICD 203 likelihood."),
    )
    confidence = django_filters.MultipleChoiceFilter(
        distinct=False,
        choices=Claim.Confidence.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("ICD 203 confidence."),
    )
    entity = _IdsFilter(
        field_name="entities",
        method="filter_entity",
        queryset=_entities_for,
        widget=LookupSelectMultiple(lookup="lookup_entities"),
        help_text=_("Id of an entity the claim is about (repeat for several: any of them)."),
    )
    report = django_filters.ModelChoiceFilter(
        field_name="attributions__report",
        method="filter_report",
        queryset=_reports_for,
        widget=LookupSelect(lookup="lookup_reports"),
        label=_("In the report"),
        help_text=_("Id of a report that carries the claim."),
    )
    about = django_filters.DateFromToRangeFilter(
        field_name="about_date",
        label=_("Date the claim is about"),
        help_text=_("Range of the date the claim is about: about_after, about_before (YYYY-MM-DD)."),
    )
    published = django_filters.DateFromToRangeFilter(
        field_name="attributions__report__published",
        method="filter_published",
        label=_("Report published"),
        help_text=_("Range of its reports' publication dates: published_after, published_before (YYYY-MM-DD)."),
    )
    # The weight of the evidence: independent origins, not mentions (relays and repeats count once).
    min_supporting_origins = django_filters.NumberFilter(
        field_name="supporting_origins",
        lookup_expr="gte",
        min_value=0,
        label=_("At least this many supporting origins"),
        help_text=_("Claims supported by at least this many independent origins (relays count once)."),
    )
    single_source = TrueFalseFilter(
        method="filter_single_source",
        label=_("Single source"),
        help_text=_("true: claims resting on one supporting origin only; false: the others."),
    )
    contested = TrueFalseFilter(
        method="filter_contested",
        label=_("Contested"),
        help_text=_("true: claims with both supporting and contradicting origins; false: the others."),
    )
    updated_since = _StorableDateTimeFilter(
        method="filter_updated_since",
        widget=forms.DateTimeInput(attrs={"placeholder": "2025-04-01 or 2025-04-01T12:00Z"}),
        label=_("Changed since"),
        help_text=(
            "ISO 8601 timestamp: claims that changed at or after it, with their evidence "
            "(attributions, the sources and reports they cite) and relations."
        ),
    )
    q = django_filters.CharFilter(
        method="filter_text",
        label=_("Text"),
        help_text=(
            "Words in the statement, original wording, quotes or source labels: each word begins a word "
            "there, whatever its case, accents and apostrophes (“goita” finds Goïta)."
        ),
    )
    ordering = django_filters.OrderingFilter(
        fields=(("updated_at", "updated"), ("about_date", "about"), ("created_at", "created"), ("id", "id")),
        help_text=_("Sort by updated, about, created or id; prefix with - for descending."),
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_source_kind(self, queryset, name, value):
        return queryset.filter(_evidence(source__kind__in=value))

    def filter_reliability(self, queryset, name, value):
        return queryset.filter(_evidence(source__reliability__lte=value))

    def filter_entity(self, queryset, name, value):
        if not value:  # none asked: the field cleans to an empty queryset, which a method filter still gets
            return queryset
        tagged = Claim.entities.through.objects.filter(claim=OuterRef("pk"), entity__in=value)
        return queryset.filter(Exists(tagged))

    def filter_report(self, queryset, name, value):
        return queryset.filter(_evidence(report=value))

    def filter_published(self, queryset, name, value):
        published = {"report__published__gte": value.start, "report__published__lte": value.stop}
        bounds = {key: day for key, day in published.items() if day is not None}
        return queryset.filter(_evidence(**bounds)) if bounds else queryset

    def filter_single_source(self, queryset, name, value):
        return queryset.filter(supporting_origins=1) if value else queryset.exclude(supporting_origins=1)

    def filter_contested(self, queryset, name, value):
        both = Q(supporting_origins__gt=0, contradicting_origins__gt=0)
        return queryset.filter(both) if value else queryset.exclude(both)

    def filter_credibility(self, queryset, name, value):
        return queryset.filter(_evidence(credibility__lte=value))

    def filter_updated_since(self, queryset, name, value):
        return queryset.changed_since(value, user=getattr(self.request, "user", None))

    def filter_text(self, queryset, name, value):
        return search.matching(queryset, value, search.CLAIM_FIELDS)


class EntityFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Entity.Kind.choices, help_text=_("Kind of entity."))
    q = django_filters.CharFilter(
        method="filter_text",
        label=_("Name or alias"),
        help_text=_("Words that begin words of its name or aliases, whatever their case, accents and apostrophes."),
    )

    class Meta:
        model = Entity
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return search.matching(queryset, value, search.ENTITY_FIELDS)


class EntityIndexFilterSet(EntityFilterSet):
    """The /entities/ page: the API's filters and a sort."""

    sort = StableOrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("claim_count", "claims")),
        label=_("Sort by"),
    )
