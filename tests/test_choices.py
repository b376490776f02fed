"""`get_<field>_display()` from a table built once per field (claimtracker/choices.py): the same label as
Django's own for every choice of every model, in the reader's language, and the value itself otherwise."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

CHOICE_FIELDS = [
    (model, field)
    for app in ("claims", "sources")
    for model in apps.get_app_config(app).get_models()
    for field in model._meta.concrete_fields
    if field.choices
]


def test_every_choice_field_of_our_models_reads_its_labels_from_the_table():
    assert len(CHOICE_FIELDS) >= 10
    for model, field in CHOICE_FIELDS:
        assert model.__dict__[f"get_{field.name}_display"].func.__module__ == "claimtracker.choices", (model, field)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("model", "field"), CHOICE_FIELDS, ids=lambda value: getattr(value, "name", str(value)))
def test_each_label_is_djangos_in_the_readers_language(model, field, language):
    instance = model()
    for value, _ in field.flatchoices:
        setattr(instance, field.attname, value)
        with translation.override(language):
            assert getattr(instance, f"get_{field.name}_display")() == models.Model._get_FIELD_display(instance, field)


def test_a_label_follows_the_language_and_a_value_outside_the_choices_is_itself():
    from claims.models import Claim

    claim = Claim(status=Claim.Status.VETTED)
    with translation.override("en"):
        english = claim.get_status_display()
    with translation.override("fr"):
        french = claim.get_status_display()
    claim.status = "not-a-status"

    assert english == "Vetted"
    assert french != english and french
    assert claim.get_status_display() == "not-a-status"
