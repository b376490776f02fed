"""Claims, the attributions that carry them, their relations and the entities they concern."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.anchoring import QuoteNotFound, anchor_quote
from claims.querysets import AttributionQuerySet, ClaimQuerySet, ClaimTransitionQuerySet, EntityQuerySet
from claimtracker.constraints import link_constraints
from sources.models import Report, Source


class Entity(models.Model):
    """A person, organisation, place or piece of equipment that claims are about."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")
        PLACE = "place", _("Place")
        EQUIPMENT = "equipment", _("Equipment")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    kind = models.CharField(max_length=32, choices=Kind.choices, verbose_name=_("kind"))
    aliases = models.TextField(
        blank=True, verbose_name=_("aliases"), help_text=_("Other names it goes by, one per line.")
    )
    description = models.TextField(blank=True, verbose_name=_("description"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # No lost updates (claimtracker.versioning).
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))
    STALE_LABEL = _("this entity")  # how a refused save names it (claimtracker.versioning.StaleEdit)

    history = HistoricalRecords()

    objects = EntityQuerySet.as_manager()

    class Meta:
        verbose_name = _("entity")
        ordering = ["name"]
        verbose_name_plural = _("entities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("entity_detail", args=[self.pk])

    @property
    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.splitlines() if alias.strip()]


# The longest statement and quote we take: a claim is one assertion, a quote one passage of a report.
STATEMENT_LIMIT = 2_000
QUOTE_LIMIT = 10_000

# History records of workflow steps carry this reason: a step is not a change of the claim's content.
WORKFLOW_STEP = "workflow step"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    VETTED = "vetted", _("Vetted")
    REJECTED = "rejected", _("Rejected")
    RETRACTED = "retracted", _("Retracted")


class Likelihood(models.TextChoices):
    """US ICD 203 expressions of likelihood, with their probability ranges."""

    ALMOST_NO_CHANCE = "almost_no_chance", _("Almost no chance (1-5 %)")
    VERY_UNLIKELY = "very_unlikely", _("Very unlikely (5-20 %)")
    UNLIKELY = "unlikely", _("Unlikely (20-45 %)")
    ROUGHLY_EVEN = "roughly_even", _("Roughly even chance (45-55 %)")
    LIKELY = "likely", _("Likely (55-80 %)")
    VERY_LIKELY = "very_likely", _("Very likely (80-95 %)")
    ALMOST_CERTAIN = "almost_certain", _("Almost certain (95-99 %)")


class Confidence(models.TextChoices):
    """US ICD 203 confidence in an analytic judgement."""

    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")


class Transition(models.TextChoices):
    """The steps of the review workflow, labelled as their buttons read."""

    SUBMIT = "submit", _("Submit for review")
    VET = "vet", _("Vet")
    REJECT = "reject", _("Reject")
    REOPEN = "reopen", _("Reopen as draft")
    RETRACT = "retract", _("Retract")
    RETURN_TO_REVIEW = "return_to_review", _("Return to review")


@dataclass(frozen=True)
class Step:
    """A row of the workflow table: where a step starts and leads, and who may take it."""

    from_statuses: frozenset[str]
    to_status: ClaimStatus
    permission: str | None  # None: taken by the tracker itself, never offered as a button
    four_eyes: bool = False  # not by anyone whose work it would approve
    reason_required: bool = False  # it takes something away from the analyst's work or from consumers


TRANSITIONS: dict[str, Step] = {
    Transition.SUBMIT: Step(frozenset({ClaimStatus.DRAFT}), ClaimStatus.IN_REVIEW, "claims.submit_claim"),
    Transition.VET: Step(frozenset({ClaimStatus.IN_REVIEW}), ClaimStatus.VETTED, "claims.vet_claim", four_eyes=True),
    Transition.REJECT: Step(
        frozenset({ClaimStatus.IN_REVIEW}),
        ClaimStatus.REJECTED,
        "claims.vet_claim",
        four_eyes=True,
        reason_required=True,
    ),
    Transition.REOPEN: Step(frozenset({ClaimStatus.REJECTED}), ClaimStatus.DRAFT, "claims.submit_claim"),
    Transition.RETRACT: Step(
        frozenset({ClaimStatus.VETTED}), ClaimStatus.RETRACTED, "claims.retract_claim", reason_required=True
    ),
    # A vetted claim whose substance changed (statement, evidence, a grade it rests on) leaves the API.
    Transition.RETURN_TO_REVIEW: Step(frozenset({ClaimStatus.VETTED}), ClaimStatus.IN_REVIEW, None),
}
# The steps people take with a button.
MANUAL_TRANSITIONS = [action for action, step in TRANSITIONS.items() if step.permission is not None]
# Why a user whose role lacks a step's permission may not take it (`Claim.transition_refusal`).
PERMISSION_REFUSALS = {
    Transition.SUBMIT: _("You do not have permission to submit claims."),
    Transition.VET: _("You do not have permission to vet claims."),
    Transition.REJECT: _("You do not have permission to reject claims."),
    Transition.REOPEN: _("You do not have permission to reopen claims."),
    Transition.RETRACT: _("You do not have permission to retract claims."),
}


class Claim(models.Model):
    """One assertion, stated plainly, with the analyst's judgement and its review status.

    Its evidence is its attributions: each says "this report, through this
    source, supports (or contradicts) this claim". Status moves only through
    the transition methods below, each of which leaves a `ClaimTransition`.
    """

    Status = ClaimStatus
    Likelihood = Likelihood
    Confidence = Confidence

    # What the claim asserts and how sure we are of it, in the order forms and exports show it. Every
    # one is substance: its change sends a vetted claim back to review. The one list the admin form,
    # the API, the exports and the services derive theirs from.
    CONTENT_FIELDS = [
        "statement",
        "original_wording",
        "kind",
        "about_date",
        "about_precision",
        "about_text",
        "likelihood",
        "confidence",
    ]

    class Kind(models.TextChoices):
        EVENT = "event", _("Event / fact")
        QUANTITY = "quantity", _("Quantity / estimate")
        ALLEGATION = "allegation", _("Allegation")
        ASSESSMENT = "assessment", _("Assessment / opinion")
        PREDICTION = "prediction", _("Intention / prediction")

    class DatePrecision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")
        APPROXIMATE = "approximate", _("Approximate")

    statement = models.TextField(
        verbose_name=_("statement"),
        help_text=_("The assertion, stated plainly in English."),
        validators=[MaxLengthValidator(STATEMENT_LIMIT)],
    )
    original_wording = models.TextField(
        blank=True,
        verbose_name=_("original wording"),
        help_text=_("The wording in the report's language."),
        validators=[MaxLengthValidator(QUOTE_LIMIT)],
    )
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.EVENT, verbose_name=_("kind"))
    about_date = models.DateField(
        null=True, blank=True, verbose_name=_("date it is about"), help_text=_("When what it asserts happens.")
    )
    about_precision = models.CharField(
        max_length=16, choices=DatePrecision.choices, blank=True, verbose_name=_("date precision")
    )
    about_text = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("time as worded"),
        help_text=_("e.g. “depuis la fin de 2024”, where a date cannot be fixed."),
    )
    entities = models.ManyToManyField(Entity, blank=True, related_name="claims", verbose_name=_("entities"))
    likelihood = models.CharField(max_length=32, choices=Likelihood.choices, blank=True, verbose_name=_("likelihood"))
    confidence = models.CharField(max_length=16, choices=Confidence.choices, blank=True, verbose_name=_("confidence"))
    status = models.CharField(
        max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT, editable=False, verbose_name=_("status")
    )

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    # `updated_since` sync in the API.
    updated_at = models.DateTimeField(auto_now=True, db_index=True, verbose_name=_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("updated by"),
    )
    # No lost updates (claimtracker.versioning): every save through the services bumps it; a save
    # based on an older version is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))
    STALE_LABEL = _("claim #%(pk)s")  # how a refused save names it (claimtracker.versioning.StaleEdit)

    # The weight of its evidence: independent origins and parties by stance, and the Admiralty credibility
    # they suggest (`claims.corroboration`). Kept up to date by the services (`claims.services.weighing`);
    # shown beside the analysts' own grades, never instead of them.
    corroboration = models.JSONField(default=dict, blank=True, editable=False, verbose_name=_("corroboration"))
    supporting_origins = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("supporting origins")
    )
    contradicting_origins = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("contradicting origins")
    )
    supporting_parties = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("supporting parties")
    )
    contradicting_parties = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("contradicting parties")
    )
    suggested_credibility = models.PositiveSmallIntegerField(
        default=6, editable=False, verbose_name=_("suggested credibility")
    )

    WEIGHT_FIELDS = [
        "corroboration",
        "supporting_origins",
        "contradicting_origins",
        "supporting_parties",
        "contradicting_parties",
        "suggested_credibility",
    ]
    history = HistoricalRecords(m2m_fields=[entities], excluded_fields=WEIGHT_FIELDS)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-updated_at", "-id"]
        indexes = [
            # Claims list page and admin changelist filter by status, newest change first.
            models.Index(fields=["status", "-updated_at"], name="claims_claim_status_idx"),
            # Filters on the date a claim is about (pages and API).
            models.Index(fields=["about_date"], name="claims_claim_about_date_idx"),
            # Filters on the weight of the evidence (pages and API).
            models.Index(fields=["supporting_origins"], name="claims_claim_support_idx"),
            # The API's claims lists: vetted (or `status`) claims, a cursor page by id (`ClaimCursorPagination`).
            models.Index(fields=["status", "id"], name="claims_claim_status_id_idx"),
            # The same with `ordering=created`.
            models.Index(fields=["status", "created_at", "id"], name="claims_claim_created_idx"),
        ]
        permissions = [
            ("submit_claim", "Can submit a claim for review"),
            ("vet_claim", "Can vet or reject a claim in review"),
            ("retract_claim", "Can retract a vetted claim"),
            ("access_api", "Can read vetted claims through the API"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="%(app_label)s_%(class)s_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(likelihood__in=[*Likelihood.values, ""]), name="%(app_label)s_%(class)s_likelihood_valid"
            ),
            models.CheckConstraint(
                condition=Q(confidence__in=[*Confidence.values, ""]), name="%(app_label)s_%(class)s_confidence_valid"
            ),
            models.CheckConstraint(
                condition=Q(about_date__isnull=True, about_precision="")
                | (Q(about_date__isnull=False) & ~Q(about_precision="")),
                name="%(app_label)s_%(class)s_date_has_precision",
                violation_error_message=_("A date needs its precision, and a precision needs a date."),
            ),
        ]

    def __str__(self) -> str:
        statement = self.statement if len(self.statement) <= 90 else self.statement[:89] + "…"
        return f"#{self.pk} {statement}" if self.pk else statement

    def get_absolute_url(self) -> str:
        return reverse("claim_detail", args=[self.pk])

    @property
    def about(self) -> str:
        """The time the claim is about, as an analyst would say it."""
        if self.about_date is None:
            return self.about_text
        formats = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y", "approximate": "c. %b %Y"}
        when = self.about_date.strftime(formats.get(self.about_precision, "%d %b %Y"))
        return f"{when} ({self.about_text})" if self.about_text else when

    # The weight of the evidence ------------------------------------------------

    @property
    def suggested_credibility_label(self) -> str:
        return Attribution.Credibility(self.suggested_credibility).label

    def origins_summary(self) -> str:
        """The origins column: "2 ✓ · 1 ✗" (independent origins supporting and contradicting)."""
        summary = f"{self.supporting_origins} ✓"
        return f"{summary} · {self.contradicting_origins} ✗" if self.contradicting_origins else summary

    @property
    def is_single_source(self) -> bool:
        return self.supporting_origins == 1

    def history_rows(self) -> list[dict]:
        """The claim's historical records, oldest first, as the claim page reads them: one query, once."""
        if getattr(self, "_history_rows", None) is None:
            self._history_rows = list(
                self.history.order_by("history_date", "history_id").values(
                    "history_date",
                    "history_change_reason",
                    "history_user_id",
                    "history_user__username",
                    "likelihood",
                    "confidence",
                )
            )
        return self._history_rows

    def judgement_over_time(self) -> list[dict]:
        """How the analysts' likelihood and confidence moved: each change, when and by whom (one query)."""
        changes, last = [], None
        for record in self.history_rows():
            judgement = (record["likelihood"], record["confidence"])
            if judgement != last:
                changes.append(
                    {
                        "at": record["history_date"],
                        "likelihood": Likelihood(judgement[0]).label if judgement[0] else gettext("not judged"),
                        "confidence": Confidence(judgement[1]).label if judgement[1] else gettext("not judged"),
                        "by": record["history_user__username"],
                    }
                )
                last = judgement
        return changes

    def grade_warnings(self) -> list[str]:
        """Grades the evidence does not bear out: credibility 1 ("confirmed by other *independent* sources")
        given while fewer than two parties support the claim. Allowed (the analyst may know more), but said."""
        if self.supporting_parties >= 2 or not self.attributions.filter(credibility=1).exists():
            return []
        warning = ngettext(
            "Credibility 1 means confirmed by other independent sources, but claim #%(pk)s has "
            "%(count)s supporting party (%(reason)s).",
            "Credibility 1 means confirmed by other independent sources, but claim #%(pk)s has "
            "%(count)s supporting parties (%(reason)s).",
            self.supporting_parties,
        )
        reason = self.corroboration.get("reason")
        if reason is None:
            reason = gettext("nothing weighed yet")
        return [warning % {"pk": self.pk, "count": self.supporting_parties, "reason": reason}]

    # Review workflow ---------------------------------------------------------

    Transition = Transition
    TRANSITIONS = TRANSITIONS

    def transition_refusal(self, action: str, user) -> str | None:
        """Why `user` may not take `action` on this claim now, or None if they may."""
        step = self.TRANSITIONS[action]
        if self.status not in step.from_statuses:
            return gettext("A %(status)s claim cannot be %(to_status)s.") % {
                "status": self.get_status_display().lower(),
                "to_status": step.to_status.label.lower(),
            }
        if step.permission is None:
            return gettext("This step is taken by the tracker itself, when a vetted claim's substance changes.")
        if not user.has_perm(step.permission):
            return str(PERMISSION_REFUSALS[action])
        if step.four_eyes and user.pk in self.authors_since_last_vetted():
            return gettext(
                "Four eyes: a claim cannot be vetted or rejected by someone who drafted it "
                "or changed it or its evidence since it was last vetted."
            )
        return None

    def authors_since_last_vetted(self) -> set[int]:
        """Ids of the users whose work the next vetting would approve.

        Its author, its last editor, and whoever changed the claim, its
        attributions or the sources they cite since it was last vetted
        (workflow steps are not changes). Read from the history: two queries
        (the claim's, shared with the claim page; its evidence's), three
        without preloaded transitions, once per instance.
        """
        if getattr(self, "_authors", None) is None:
            authors = {self.created_by_id, self.updated_by_id}
            # `transitions.all()`: preloaded by the claim page's recipe.
            last_vetted = max((t.at for t in self.transitions.all() if t.to_status == ClaimStatus.VETTED), default=None)
            since = Q(history_date__gt=last_vetted) if last_vetted else Q()
            authors |= {
                row["history_user_id"]
                for row in self.history_rows()
                if (last_vetted is None or row["history_date"] > last_vetted)
                and row["history_change_reason"] != WORKFLOW_STEP
            }
            # Who changed its attributions, or a source they cite (a regrade changes every grade it shows):
            # one query.
            evidence = Attribution.history.filter(since, claim_id=self.pk).order_by().values_list("history_user_id")
            cited = Attribution.objects.filter(claim_id=self.pk).values("source_id")
            sources = Source.history.filter(since, id__in=cited).order_by().values_list("history_user_id")
            authors |= {user for (user,) in evidence.union(sources)}
            self._authors = authors - {None}
        return self._authors

    def allowed_transitions(self, user) -> list[str]:
        return [action for action in self.TRANSITIONS if self.transition_refusal(action, user) is None]

    def review_options(self, user) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """What the review box shows `user`: the steps they may take now as (action, label), and
        the steps their role and this status allow but they may not take now, as (label, why not)."""
        allowed, refused = [], []
        for action, step in self.TRANSITIONS.items():
            if self.status not in step.from_statuses or step.permission is None or not user.has_perm(step.permission):
                continue  # nothing to explain about a step this status or role never offers
            refusal = self.transition_refusal(action, user)
            if refusal is None:
                allowed.append((action, Transition(action).label))
            else:
                refused.append((Transition(action).label, refusal))
        return allowed, refused

    def review_box(self, user) -> dict:
        """The context of the review box (`claims/_review_box.html`), on the claim page and in the admin."""
        steps, refusals = self.review_options(user)
        return {
            "review_steps": steps,
            "review_refusals": refusals,
            "reason_required": any(self.TRANSITIONS[action].reason_required for action, _ in steps),
        }

    def apply_transition(self, action: str, *, by, comment: str = "") -> ClaimTransition:
        """Move the claim along the workflow, recording who, when and why.

        Raises PermissionDenied when the rule forbids it, ValidationError when
        a step that needs a reason has none. Callers wrap it in a
        transaction (see `claims.services.claim_transition`).
        """
        refusal = self.transition_refusal(action, by)
        if refusal:
            raise PermissionDenied(refusal)
        if self.TRANSITIONS[action].reason_required and not comment.strip():
            raise ValidationError(gettext("Give a reason to reject or retract a claim."))
        return self._move_to(self.TRANSITIONS[action].to_status, by=by, comment=comment)

    def _move_to(self, status: str, *, by, comment: str, fields: tuple[str, ...] = ()) -> ClaimTransition:
        previous = self.status
        self.status = status
        self.version += 1  # callers hold the row lock (select_for_update)
        self._change_reason = WORKFLOW_STEP
        self._authors = self._history_rows = None
        self.save(update_fields=["status", "version", "updated_at", *fields])
        if ClaimStatus.VETTED in {previous, status}:
            # Its relations appear in (or leave) the copies of the vetted claims it is related to.
            self.related_claims().vetted().update(updated_at=timezone.now())
        return ClaimTransition.objects.create(
            claim=self, from_status=previous, to_status=status, by=by, comment=comment
        )

    def return_to_review(self, *, by, reason: str) -> ClaimTransition | None:
        """The automatic step: a vetted claim whose substance changed goes back to review.

        Who changed it is its last editor (so four eyes counts them). A claim
        that is not vetted stays as it is. Callers hold the row lock.
        """
        step = self.TRANSITIONS[Transition.RETURN_TO_REVIEW]
        if self.status not in step.from_statuses:
            return None
        self.updated_by = by
        return self._move_to(step.to_status, by=by, comment=reason, fields=("updated_by",))

    def related_claims(self) -> ClaimQuerySet:
        """The claims it is related to, either way."""
        pointing_here = ClaimRelation.objects.filter(to_claim=self).values("from_claim_id")
        pointed_at = ClaimRelation.objects.filter(from_claim=self).values("to_claim_id")
        return Claim.objects.filter(Q(pk__in=pointing_here) | Q(pk__in=pointed_at))

    @property
    def can_be_deleted(self) -> bool:
        """Only claims that never left the building may be deleted: drafts and rejected claims never vetted.

        A claim once vetted may sit in an API consumer's copy; its withdrawal
        stays listed by /api/v1/claims/withdrawn/, which needs its review steps.
        """
        if self.status not in {ClaimStatus.DRAFT, ClaimStatus.REJECTED}:
            return False
        return self.pk is None or not self.transitions.filter(from_status=ClaimStatus.VETTED).exists()


class AttributionMode(models.TextChoices):
    DIRECT_QUOTE = "direct_quote", _("Direct quote")
    PARAPHRASE = "paraphrase", _("Paraphrase")
    OUTLET_VOICE = "outlet_voice", _("Outlet's own voice")


class AttributionStance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    CONTRADICTS = "contradicts", _("Contradicts")
    NEUTRAL = "neutral", _("Neutral (reports it without confirming or denying)")


class RelationKind(models.TextChoices):
    CONTRADICTS = "contradicts", _("Contradicts")
    CORROBORATES = "corroborates", _("Corroborates")
    REFINES = "refines", _("Refines (a more precise version)")
    DUPLICATE_OF = "duplicate_of", _("Duplicate of")


class Attribution(models.Model):
    """This report, through this source, says this claim.

    The quote is anchored in the report's body: body[start:end] == quote,
    always. A later report confirming or denying the claim is another
    attribution with stance supports or contradicts.
    """

    Mode = AttributionMode
    Stance = AttributionStance

    # What an attribution records, in the order forms and exports show it: the one list the admin
    # inline, the API, the exports and the services derive theirs from.
    EVIDENCE_FIELDS = [
        "report",
        "source",
        "quote",
        "start",
        "end",
        "verb",
        "mode",
        "stance",
        "hedged",
        "credibility",
        "said_on",
        "via",
    ]
    # Those a vetted claim's review rested on (the reporting verb is wording, not substance).
    SUBSTANTIVE_FIELDS = [name for name in EVIDENCE_FIELDS if name != "verb"]

    class Credibility(models.IntegerChoices):
        CONFIRMED = 1, _("1 · confirmed by other sources")
        PROBABLY_TRUE = 2, _("2 · probably true")
        POSSIBLY_TRUE = 3, _("3 · possibly true")
        DOUBTFUL = 4, _("4 · doubtful")
        IMPROBABLE = 5, _("5 · improbable")
        CANNOT_BE_JUDGED = 6, _("6 · truth cannot be judged")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="attributions", verbose_name=_("claim"))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="attributions", verbose_name=_("source"))
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attributions", verbose_name=_("report"))
    quote = models.TextField(
        verbose_name=_("quote"),
        help_text=_("Verbatim passage of the report. Plain quotes and spaces are fine."),
        validators=[MaxLengthValidator(QUOTE_LIMIT)],
    )
    start = models.PositiveIntegerField(
        null=True,
        blank=True,
        verbose_name=_("start"),
        help_text=_("Offset of the quote in the report's text. Leave blank to locate it."),
    )
    end = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("end"))
    verb = models.CharField(
        max_length=60, blank=True, verbose_name=_("reporting verb"), help_text=_("e.g. affirme, estime, selon.")
    )
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.PARAPHRASE, verbose_name=_("mode"))
    hedged = models.BooleanField(
        default=False,
        verbose_name=_("hedged"),
        help_text=_("Conditional mood (“seraient”) or “reportedly”: unconfirmed reporting."),
    )
    stance = models.CharField(max_length=16, choices=Stance.choices, default=Stance.SUPPORTS, verbose_name=_("stance"))
    credibility = models.PositiveSmallIntegerField(
        choices=Credibility.choices,
        default=Credibility.CANNOT_BE_JUDGED,
        verbose_name=_("credibility"),
        help_text=_("Admiralty information credibility of this piece of information."),
    )
    said_on = models.DateField(
        null=True,
        blank=True,
        verbose_name=_("said on"),
        help_text=_("When the source said it, if not on the report's publication date."),
    )
    via = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relayed_attributions",
        verbose_name=_("via"),
        help_text=_("The report through which this outlet got the words (“cité par l'agence Reuters”)."),
    )
    note = models.TextField(blank=True, verbose_name=_("note"))
    # Computed (`claims.services.weighing`): the earlier attribution of the same claim that this one repeats.
    relay_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="relays",
        verbose_name=_("relay of"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    history = HistoricalRecords(excluded_fields=["relay_of"])

    objects = AttributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("attribution")
        verbose_name_plural = _("attributions")
        ordering = ["report_id", "start", "id"]
        indexes = [
            # The annotated report and the report admin list a report's attributions in text order.
            models.Index(fields=["report", "start"], name="claims_attribution_text_idx"),
            # Filters by credibility (pages and API).
            models.Index(fields=["credibility"], name="claims_attribution_cred_idx"),
            # `updated_since` (`ClaimQuerySet.changed_since`): the attributions changed since a moment.
            models.Index(fields=["updated_at"], name="claims_attribution_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(credibility__gte=1, credibility__lte=6),
                name="%(app_label)s_%(class)s_credibility_1_to_6",
                violation_error_message=_("Credibility is an Admiralty grade from 1 to 6."),
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=False, end__isnull=False, end__gt=F("start")),
                name="%(app_label)s_%(class)s_span_not_empty",
                violation_error_message=_("The quote's span must be located in the report."),
            ),
            models.CheckConstraint(
                condition=Q(stance__in=AttributionStance.values), name="%(app_label)s_%(class)s_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=AttributionMode.values),
                name="%(app_label)s_%(class)s_mode_valid",
            ),
            models.CheckConstraint(
                condition=~Q(via=F("report")),
                name="%(app_label)s_%(class)s_via_another_report",
                violation_error_message=_("“Via” names the report the words came through, not this one."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade} · {self.source.label} {self.verb or 'says'}: “{self.quote[:60]}”"

    @property
    def grade(self) -> str:
        """Admiralty grade as analysts read it: source reliability + information credibility, e.g. F3."""
        return f"{self.source.reliability}{self.credibility}"

    def clean(self) -> None:
        super().clean()
        if self.report_id is None or not self.quote:
            return
        try:
            anchor = anchor_quote(self.report.body, self.quote, self.start, self.end)
        except QuoteNotFound as error:
            message = gettext("%(error)s Report: “%(title)s”.") % {"error": error, "title": self.report.title}
            raise ValidationError({"quote": message}) from None
        self.start, self.end, self.quote = anchor.start, anchor.end, anchor.text

    def validate_constraints(self, exclude=None) -> None:
        # The span constraint is met by clean(), which fills blank offsets.
        exclude = set(exclude or ())
        if self.start is None or self.end is None:
            exclude |= {"start", "end"}
        super().validate_constraints(exclude=exclude)


class ClaimRelation(models.Model):
    """A link between two claims: one contradicts, corroborates, refines or duplicates the other."""

    Kind = RelationKind

    SYMMETRIC = {Kind.CONTRADICTS, Kind.CORROBORATES}

    from_claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="outgoing_relations", verbose_name=_("from claim")
    )
    # A claim that other claims point at cannot be deleted from under them.
    to_claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="incoming_relations", verbose_name=_("to claim")
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, verbose_name=_("kind"))
    rationale = models.TextField(blank=True, verbose_name=_("rationale"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("claim relation")
        verbose_name_plural = _("claim relations")
        ordering = ["from_claim_id", "id"]
        indexes = [
            # `updated_since` (`ClaimQuerySet.changed_since`): the relations added since a moment.
            models.Index(fields=["created_at"], name="claims_claimrelation_new_idx"),
        ]
        constraints = [
            *link_constraints(
                "from_claim",
                "to_claim",
                self_message=_("A claim cannot be related to itself."),
                pair_message=_("These two claims are already related."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RelationKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.from_claim_id} {self.get_kind_display().lower()} #{self.to_claim_id}"

    def clean(self) -> None:
        super().clean()
        if self.from_claim_id and self.from_claim_id == self.to_claim_id:
            raise ValidationError({"to_claim": gettext("A claim cannot be related to itself.")})
        if self.from_claim_id and self.to_claim_id:
            reverse = ClaimRelation.objects.filter(from_claim=self.to_claim_id, to_claim=self.from_claim_id)
            if reverse.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"to_claim": gettext("These two claims are already related the other way round.")}
                )


class ClaimTransition(models.Model):
    """One step of a claim's review: who moved it from which status to which, when, and why."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("claim"))
    from_status = models.CharField(max_length=16, choices=ClaimStatus.choices, verbose_name=_("from status"))
    to_status = models.CharField(max_length=16, choices=ClaimStatus.choices, verbose_name=_("to status"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))

    objects = ClaimTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["at", "id"]
        indexes = [
            # /api/v1/claims/withdrawn/ (`ClaimTransitionQuerySet.withdrawals_since`): steps out of vetted.
            models.Index(fields=["from_status", "at"], name="claims_transition_left_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
