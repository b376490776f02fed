"""No lost updates: one mechanism for every edited row (claims, reports, sources, entities).

Each such model carries a `version`. An editor's form carries the version it
was opened at; a save is a compare-and-swap (`UPDATE … SET version = version
+ 1 WHERE pk = … AND version = loaded`), so of two people who opened the same
row, the second to save is refused with `StaleEdit`, which says who changed
which fields meanwhile (read from django-simple-history), and nothing is
written. Services call `claim_version` before they save; forms call
`check_version` to refuse early with the same message.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _


class StaleEdit(Exception):
    """The row changed (or went) since the editor loaded it; saving would overwrite someone's work."""

    def __init__(
        self,
        obj: models.Model,
        changed_fields: list[str],
        changed_by: list[str],
        *,
        deleted: bool = False,
        message: str = "",
    ):
        self.pk = obj.pk
        self.changed_fields = changed_fields
        self.changed_by = changed_by
        if message:
            super().__init__(message)
            return
        name = obj._meta.verbose_name
        # "this report", or "claim #12" for models whose pages and messages go by number: each model words its
        # own (`STALE_LABEL`, translated: French agrees "this" with the noun).
        label = getattr(type(obj), "STALE_LABEL", None)
        label = label % {"pk": obj.pk} if label else _("this %(name)s") % {"name": name}
        if deleted:
            super().__init__(
                _("Someone else deleted %(label)s since you opened it. Your changes were not saved.") % {"label": label}
            )
            return
        who = ", ".join(changed_by) or _("another user")
        what = ", ".join(str(field) for field in changed_fields) or _("it")
        super().__init__(
            _(
                "Someone else changed %(label)s since you opened it (%(who)s changed %(what)s). "
                "Your changes were not saved, so nothing of theirs was overwritten: "
                "reload the page to see their version, then redo yours."
            )
            % {"label": label, "who": who, "what": what}
        )


# Extra history a model's stale message reads: (instance, first newer record) -> (field labels, users).
Companions = Callable[[models.Model, object], tuple[list[str], list]]


def changes_since(
    obj: models.Model, version: int, *, fields: list[str] | None = None, companions: Companions | None = None
) -> tuple[list[str], list[str]]:
    """What changed in `obj`'s row after `version`, and who changed it, read from its history.

    `fields` limits the compared fields (default: every field the history
    keeps); m2m fields the history tracks are compared too. `companions`
    adds what changed in related rows (a claim's attributions).
    """
    history = type(obj).history.filter(id=obj.pk)
    newer = list(history.filter(version__gt=version).select_related("history_user").order_by("history_date"))
    if not newer:
        return [], []
    # A version's last record: m2m changes (entities) add records without a new version.
    loaded = history.filter(version=version).order_by("history_date").last()
    labels = []
    if loaded is not None:
        labels = [str(type(obj)._meta.get_field(name).verbose_name) for name in _changed(newer[-1], loaded, fields)]
    users = [record.history_user for record in newer]
    if companions is not None:
        extra_labels, extra_users = companions(obj, newer[0])
        labels += extra_labels
        users += extra_users
    return labels, sorted({user.get_username() for user in users if user is not None})


def _changed(latest, loaded, fields: list[str] | None) -> list[str]:
    """Fields that differ between two history records: those an editor edits, or `fields` (which may name
    fields no form edits, such as a claim's status, and m2m fields the history tracks)."""
    if fields is None:
        return latest.diff_against(loaded).changed_fields
    m2m = [name for name in fields if name in {field.name for field in loaded._history_m2m_fields}]
    changed = [name for name in fields if name not in m2m and getattr(latest, name) != getattr(loaded, name)]
    return changed + (latest.diff_against(loaded, included_fields=m2m).changed_fields if m2m else [])


def check_version(obj: models.Model, version: int, **kwargs) -> None:
    """Refuse (StaleEdit) an edit of `obj` based on `version` when its stored row is newer, or gone."""
    stored = type(obj)._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
    if stored is None:
        raise StaleEdit(obj, [], [], deleted=True)
    if stored != version:
        raise StaleEdit(obj, *changes_since(obj, version, **kwargs))


def claim_version(obj: models.Model, version: int | None, **kwargs) -> None:
    """Take the next version of `obj`'s stored row, if it is still at `version` (compare-and-swap).

    With `version` None (a script, a service acting on the row as stored),
    the version is bumped whatever it is, so editors holding the old one are
    refused afterwards. Sets `obj.version` to the new one; the caller saves
    `obj` next, in the same transaction.
    """
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    bumped = rows.filter(version=version) if version is not None else rows
    if not bumped.update(version=F("version") + 1):
        check_version(obj, version, **kwargs)  # raises: someone saved first, or deleted it
        raise StaleEdit(obj, [], [], deleted=True)
    obj.version = rows.values_list("version", flat=True).get()


def bump_versions(queryset: models.QuerySet, **also) -> int:
    """A change made to rows behind their editors' backs (re-anchored quotes): open forms become stale."""
    return queryset.update(version=F("version") + 1, **also)
