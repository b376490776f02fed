"""Widgets: the admin's preloaded autocomplete, and the pages' lookups for choices too many to list."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.urls import reverse


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that renders its selected option from the object the form already holds.

    Django's widget queries the database for the selected object once per
    widget: on a claim with 30 attributions, 60 queries for their source and
    report boxes. Its form sets `preloaded` to the related object (loaded by
    the inline's `select_related`); without it, the widget behaves as Django's.
    """

    preloaded = None

    def optgroups(self, name, value, attr=None):
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.preloaded is None or chosen != {str(self.preloaded.pk)}:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(self.preloaded)
        options.append(self.create_option(name, self.preloaded.pk, label, True, len(options)))
        return [(None, options, 0)]


def preload_autocomplete(form, *field_names: str) -> None:
    """Hand each named autocomplete its form instance's related object, so it renders without a query."""
    for name in field_names:
        widget = getattr(form.fields[name].widget, "widget", form.fields[name].widget)  # unwrap the "+" wrapper
        related_id = getattr(form.instance, f"{name}_id", None)
        if isinstance(widget, PreloadedAutocompleteSelect) and related_id is not None:
            widget.preloaded = getattr(form.instance, name)


class LookupMixin:
    """A select of a few of many rows (entities, reports): it lists only the rows chosen, and
    static/js/lookup.js adds a box that finds others by the words typed (`claims.views.LookupView` at
    `lookup_url`). Listing every row would put thousands of `<option>`s on each page load (at 10,000
    reports the claims page weighed a megabyte and took seconds to render).

    Without JavaScript the chosen rows can still be unselected, and links from entity and report pages
    (`/claims/?entity=<id>`) choose others.
    """

    def __init__(self, *args, lookup: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup = lookup  # the URL name of the lookup view

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-lookup"] = reverse(self.lookup)
        return context

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v).isdigit() and int(v) < 2**63]
        queryset = self.choices.queryset.filter(pk__in=chosen) if chosen else self.choices.queryset.none()
        label = self.choices.field.label_from_instance
        options = [] if self.allow_multiple_selected else [self.create_option(name, "", "", not chosen, 0)]
        for row in queryset.order_by("pk"):
            options.append(self.create_option(name, str(row.pk), label(row), True, len(options)))
        return [(None, options, 0)]


class LookupSelect(LookupMixin, forms.Select):
    pass


class LookupSelectMultiple(LookupMixin, forms.SelectMultiple):
    pass
