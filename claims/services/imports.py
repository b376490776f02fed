"""Writes of what another claimtracker exported (`claims.imports.stix`): rows that keep their ids, statuses and times.

An imported row is an entry like a hand-made one: validated (`full_clean`),
recorded in its history as `by` with the reason "imported from STIX bundle
<id>" (`imported_from`), quotes anchored in their report's text, every claim
weighed, by the services a hand-made entry goes through. Three things differ,
so that two installations speak of the same objects and an export of what
was imported is the bundle that was imported:

- ids: rows are inserted with the exporting tracker's ids (the STIX ids derive
  from them), so the ids must be free here (`ids_taken`);
- statuses: a claim arrives as a draft, takes its evidence, then moves to the
  status the exporting tracker's reviewers gave it, in one workflow step
  (`claim_import_status`) that records the importer and names the bundle. The
  importer must hold the permissions of the steps that lead to those statuses
  (`importer_refusal`): bringing vetted claims in is vetting them here;
- times: once everything is written, rows take back their exported times
  (`import_settle`), which every write above moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from claims.models import TRANSITIONS, Attribution, Claim, ClaimRelation, ClaimTransition
from claims.services.claims import lock_claim
from claims.services.evidence import attribution_save, relation_save
from claims.services.reports import derivation_save
from sources.models import Report, ReportDerivation, Source

# What an import may write, in the order it writes it: its ids must be free, its sequences move past them.
IMPORTED_MODELS: list[type[models.Model]] = [Source, Report, Claim, ReportDerivation, Attribution, ClaimRelation]
# What entering the rows by hand takes: adding each (a derivation is recorded on its report's page).
_ADD_PERMISSIONS = [
    *(
        f"{model._meta.app_label}.add_{model._meta.model_name}"
        for model in IMPORTED_MODELS
        if model is not ReportDerivation
    ),
    "sources.change_report",
]


def imported_from(bundle_id: str) -> str:
    """The change reason of every history record an import writes."""
    return f"imported from STIX bundle {bundle_id}"


def importer_refusal(*, by, statuses: Iterable[str]) -> str | None:
    """Why `by` may not import claims arriving in `statuses` (with their sources, reports and evidence), or None.

    The permissions of the workflow steps that lead to each status (`TRANSITIONS`): submitting for one in
    review, vetting for one vetted or rejected, retracting for one retracted; and adding every kind of row.
    """
    if by is None or not by.is_active:
        return _("An import is recorded in the history as someone's: name an active user (--by).")
    needed = set(_ADD_PERMISSIONS)
    for status in set(statuses) - {Claim.Status.DRAFT}:
        needed |= {step.permission for step in TRANSITIONS.values() if step.to_status == status and step.permission}
    missing = sorted(permission for permission in needed if not by.has_perm(permission))
    if missing:
        return _(
            "%(user)s may not bring these claims in with their statuses (it takes %(permissions)s): "
            "import as a reviewer."
        ) % {"user": by.get_username(), "permissions": ", ".join(missing)}
    return None


def ids_taken(ids: dict[type[models.Model], Iterable[int]]) -> list[str]:
    """The ids, by model, that rows here hold already: one message per model (an empty list when all are free)."""
    problems = []
    for model, wanted in ids.items():
        wanted = list(wanted)
        taken = sorted(model.objects.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else []
        if taken:
            listed = ", ".join(f"#{pk}" for pk in taken[:10]) + (" …" if len(taken) > 10 else "")
            problems.append(
                _("%(models)s %(ids)s exist here already") % {"models": model._meta.verbose_name_plural, "ids": listed}
            )
    return problems


def _insert(row: models.Model, *, by, reason: str) -> None:
    """A new row with its own id, validated and recorded in its history (as `claim_restore` inserts)."""
    row.full_clean()
    row._history_user, row._change_reason = by, reason
    row.save(force_insert=True)


@transaction.atomic
def source_import(*, source: Source, by, reason: str) -> Source:
    """Insert `source` with its id; its `same_as` and `member_of` must be here already (import them first)."""
    _insert(source, by=by, reason=reason)
    return source


@transaction.atomic
def report_import(*, report: Report, by, reason: str) -> Report:
    """Insert `report` with its id and its text, which the quotes of its attributions are anchored in."""
    report.created_by = by
    _insert(report, by=by, reason=reason)
    return report


@transaction.atomic
def claim_import(*, claim: Claim, by, reason: str) -> Claim:
    """Insert `claim` with its id, as a draft (its evidence comes next; `claim_import_status` moves it)."""
    claim.status, claim.created_by, claim.updated_by = Claim.Status.DRAFT, by, by
    _insert(claim, by=by, reason=reason)
    return claim


def _with_reason(row: models.Model, reason: str) -> models.Model:
    row._change_reason = reason
    return row


def derivation_import(*, derivation: ReportDerivation, by, reason: str) -> ReportDerivation:
    """`derivation_save`, its history naming the bundle."""
    return derivation_save(derivation=_with_reason(derivation, reason), by=by)


def attribution_import(*, attribution: Attribution, by, reason: str) -> Attribution:
    """`attribution_save` (the quote anchored at its offsets, the claim weighed), its history naming the bundle."""
    return attribution_save(attribution=_with_reason(attribution, reason), by=by)


def relation_import(*, relation: ClaimRelation, by, reason: str) -> ClaimRelation:
    """`relation_save`, its history naming the bundle."""
    return relation_save(relation=_with_reason(relation, reason), by=by)


@transaction.atomic
def claim_import_status(*, claim: Claim, status: str, by, origin: str) -> ClaimTransition | None:
    """Move an imported draft to the status it had in the exporting tracker: one workflow step, by `by`,
    whose comment names `origin` (the bundle). None for a draft, which stays as it is.

    The workflow's own step (`Claim._move_to`: status, version, a history record marked as a workflow step, a
    `ClaimTransition`), not `apply_transition`: its table has no step from a draft straight to vetted, and its
    four-eyes rule is about who wrote the claim here, while these were vetted there. Whether `by` may bring
    such statuses in is `importer_refusal`'s to say, before anything is written.
    """
    if status == Claim.Status.DRAFT:
        return None
    if status not in Claim.Status.values:
        raise ValueError(f"“{status}” is not a review status.")
    locked = lock_claim(claim)
    locked._history_user = by
    comment = f"Imported {Claim.Status(status).label.lower()} from {origin}."
    step = locked._move_to(status, by=by, comment=comment)
    claim.status, claim.version, claim.updated_at = locked.status, locked.version, locked.updated_at
    return step


# Which times each imported model keeps: (created, updated) columns (a relation is never updated).
_TIMES = {
    Source: ("created_at", "updated_at"),
    Report: ("created_at", "updated_at"),
    Claim: ("created_at", "updated_at"),
    Attribution: ("created_at", "updated_at"),
    ClaimRelation: ("created_at",),
}


@transaction.atomic
def import_settle(*, times: dict[type[models.Model], dict[int, tuple[datetime, ...]]]) -> None:
    """The last step of an import: rows take back the times they had in the exporting tracker, and the id
    sequences move past the ids the import took.

    `times[model][pk]` is (created, updated), or (created,) for a relation. The
    times are the exporting tracker's, as the STIX ids are: an export of what
    was imported is the bundle that was imported. Written without saving (the
    history already holds the rows; a save would move `updated_at` again).
    """
    for model, by_pk in times.items():
        columns = _TIMES[model]
        rows = [model(pk=pk, **dict(zip(columns, moments, strict=True))) for pk, moments in by_pk.items()]
        model.objects.bulk_update(rows, list(columns), batch_size=500)
    # Rows inserted with their own ids leave PostgreSQL's sequences behind: the next row must not collide.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), IMPORTED_MODELS):
            cursor.execute(statement)
