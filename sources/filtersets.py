"""Report and source filters, shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sources.models import Report, Source


class TrueFalseField(forms.ChoiceField):
    """true or false (any case), or empty for either; anything else is refused, naming the parameter."""

    def __init__(self, *args, **kwargs):
        kwargs.pop("choices", None)
        super().__init__(*args, choices=[("", "Either"), ("true", "Yes"), ("false", "No")], **kwargs)

    def to_python(self, value):
        return super().to_python(value).lower()

    def clean(self, value):
        return {"true": True, "false": False}.get(super().clean(value))


class TrueFalseFilter(django_filters.BooleanFilter):
    """A boolean filter that answers `anonymous=yes` with a 400, not by ignoring it (BooleanFilter does)."""

    field_class = TrueFalseField


class SourceFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Source.Kind.choices, help_text=_("Kind of source."))
    reliability = django_filters.ChoiceFilter(
        choices=Source.Reliability.choices,
        field_name="reliability",
        lookup_expr="lte",
        label=_("Reliability at or above"),
        help_text=_("Admiralty reliability at or above this grade (A best, F worst)."),
    )
    anonymous = TrueFalseFilter(help_text=_("Only anonymous (true) or only identified (false) sources."))
    q = django_filters.CharFilter(
        method="filter_text", label=_("Text"), help_text=_("Words in label, description, side.")
    )

    class Meta:
        model = Source
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(label__icontains=value)
            | Q(description__icontains=value)
            | Q(affiliation__icontains=value)
            | Q(side__icontains=value)
        )


class ReportFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Report.Kind.choices, help_text=_("Kind of report."))
    outlet = django_filters.CharFilter(lookup_expr="iexact", help_text=_("Outlet, exact name (case-insensitive)."))
    language = django_filters.CharFilter(help_text=_("Language code, e.g. fr."))
    published = django_filters.DateFromToRangeFilter(
        help_text=_("Publication date range: published_after, published_before (YYYY-MM-DD).")
    )

    class Meta:
        model = Report
        fields: list[str] = []


class StableOrderingFilter(django_filters.OrderingFilter):
    """A sort whose ties are broken by id, so that pages neither repeat nor skip rows."""

    def filter(self, qs, value):
        ordered = super().filter(qs, value)
        return ordered.order_by(*ordered.query.order_by, "pk") if value else ordered


class ReportIndexFilterSet(ReportFilterSet):
    """The /reports/ page: the API's filters, words of the title, outlet or author, and a sort."""

    q = django_filters.CharFilter(
        method="filter_text", label=_("Text"), help_text=_("Words in the title, outlet or author.")
    )
    sort = StableOrderingFilter(
        fields=(
            ("published", "published"),
            ("title", "title"),
            ("outlet", "outlet"),
            ("attribution_count", "attributions"),
        ),
        label=_("Sort by"),
    )

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(outlet__icontains=word) | Q(author__icontains=word))
        return queryset
