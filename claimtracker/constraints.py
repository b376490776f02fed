"""Database constraints shared by the models that link one row to another of the same kind."""

from django.db import models
from django.db.models import F, Q


def link_constraints(origin: str, target: str, *, self_message: str, pair_message: str) -> list[models.BaseConstraint]:
    """A link between two rows (a claim relation, a report derivation): never to itself, once per pair."""
    return [
        models.CheckConstraint(
            condition=~Q(**{origin: F(target)}),
            name="%(app_label)s_%(class)s_not_self",
            violation_error_message=self_message,
        ),
        models.UniqueConstraint(
            fields=[origin, target], name="%(app_label)s_%(class)s_unique_pair", violation_error_message=pair_message
        ),
    ]
