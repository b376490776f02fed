"""Choice labels (`get_<field>_display()`) read from a table built once per field.

Django's own `get_<field>_display()` copies every choice of the field into a
hashable dictionary on each call, hashing each label; our labels are lazy
translations, so each call translated every label of the field. The annotated
report with 300 attributions calls it 2,000 times: a third of the page's time
went there. Here each field's table is built once (its labels stay lazy, so a
label is translated when it is shown, in the reader's language), and a call is
one lookup and one translation. `tests/test_choices.py` checks that every
label is Django's, in English and French.
"""

from __future__ import annotations

import functools
from functools import partialmethod

from django.db import models
from django.utils.encoding import force_str


@functools.cache
def _labels(field: models.Field) -> dict:
    return dict(field.flatchoices)


def _display(self: models.Model, field: models.Field):
    value = getattr(self, field.attname)
    try:
        label = _labels(field)[value]
    except (KeyError, TypeError):  # not one of the choices (or unhashable): what Django would answer
        return models.Model._get_FIELD_display(self, field)
    return force_str(label, strings_only=True)


def use_label_tables(app_models) -> None:
    """Give each model's choice fields the table lookup, where Django put its own `get_<field>_display()`."""
    for model in app_models:
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            if field.choices and isinstance(model.__dict__.get(name), partialmethod):
                setattr(model, name, partialmethod(_display, field=field))
