"""Reports (the documents that carry claims), how they derive from each other, and sources (who a claim is
attributed to)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.formats import get_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claimtracker.constraints import link_constraints
from sources.chains import chain_cycle, closes_cycle
from sources.querysets import ReportQuerySet, SourceQuerySet

# The longest report text we take: about 150,000 words, ten times a long NGO report. A form's whole POST must
# fit settings.DATA_UPLOAD_MAX_MEMORY_SIZE, sized from it, so a longer text gets this message, not a bare 400.
BODY_LIMIT = 1_000_000


def _body_help_text() -> str:
    """The body's help text, in the reader's language, the limit grouped as they group digits. Without a
    language (`makemigrations` runs without one) it reads as in English, as the migrations have it."""
    limit = f"{BODY_LIMIT:,}".replace(",", get_format("THOUSAND_SEPARATOR"))
    return gettext("The text that quotes are anchored in (%(limit)s characters at most).") % {"limit": limit}


def as_uri(url: str) -> str:
    """An address as a URI (RFC 3986) that every client accepts: the host in IDNA (punycode), everything else
    outside ASCII, and the characters URIs forbid (" < > | { } ^ ` and spaces), percent-encoded. Idempotent."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return iri_to_uri(url.strip()) if url else url
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
        port = f":{parts.port}" if parts.port else ""
    except (UnicodeError, ValueError):
        return url  # not a URL the validator will accept anyway: it says so
    if ":" in host:
        host = f"[{host}]"  # IPv6
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (quote(userinfo, safe=":%") + "@" if userinfo else "") + host + port
    rest = iri_to_uri(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))
    return f"{parts.scheme}://{netloc}" + rest.replace("^", "%5E").replace("|", "%7C")


class Tlp(models.TextChoices):
    """TLP 2.0, least to most restricted: how far what is exported from a report may be shared (STIX marks it)."""

    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber+strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


class Report(models.Model):
    """A document that carries claims: an article, a statement, a post, a video.

    Its `body` is the text that attributions anchor their quotes in. When the
    full text is not ours to store, the body is an analyst's excerpt or
    summary and `body_kind` says so.
    """

    class Kind(models.TextChoices):
        NEWS_ARTICLE = "news_article", _("News article")
        OFFICIAL_STATEMENT = "official_statement", _("Official statement")
        NGO_REPORT = "ngo_report", _("NGO report")
        SOCIAL_MEDIA_POST = "social_media_post", _("Social-media post")
        VIDEO = "video", _("Video")
        OTHER = "other", _("Other")

    class BodyKind(models.TextChoices):
        FULL_TEXT = "full_text", _("Full text")
        ANALYST_EXCERPT = "analyst_excerpt", _("Analyst's excerpt or summary")

    Tlp = Tlp

    title = models.CharField(max_length=300, verbose_name=_("title"))
    outlet = models.CharField(
        max_length=200, verbose_name=_("outlet"), help_text=_("Publisher or issuer, e.g. Le Monde.")
    )
    author = models.CharField(max_length=200, blank=True, verbose_name=_("author"))
    published = models.DateField(
        verbose_name=_("published"), help_text=_("Publication date: places its evidence in time.")
    )
    url = models.URLField(max_length=500, blank=True, verbose_name=_("URL"))
    language = models.CharField(
        max_length=12,
        default="fr",
        verbose_name=_("language"),
        help_text=_("BCP 47 language code of the body, e.g. fr, en."),
    )
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.NEWS_ARTICLE, verbose_name=_("kind"))
    body_kind = models.CharField(
        max_length=32,
        choices=BodyKind.choices,
        default=BodyKind.FULL_TEXT,
        verbose_name=_("text held"),
        help_text=_("Whether the body is the report's full text or an analyst's excerpt of it."),
    )
    body = models.TextField(
        verbose_name=_("body"),
        help_text=lazy(_body_help_text, str)(),
        validators=[MaxLengthValidator(BODY_LIMIT)],
    )
    note = models.TextField(
        blank=True,
        verbose_name=_("note"),
        help_text=_("Analysts' remarks about the report. Never part of its text: quotes anchor in the body."),
    )
    # The file the body was read from, as uploaded (decoded; an HTML page whole), kept for the record and never
    # edited: empty when the text was pasted or typed (`sources.documents`, the admin's add form).
    original = models.TextField(blank=True, editable=False, verbose_name=_("original file"))
    original_name = models.CharField(max_length=255, blank=True, editable=False, verbose_name=_("original file name"))
    original_type = models.CharField(
        max_length=100,
        blank=True,
        editable=False,
        verbose_name=_("original type"),
        help_text=_("e.g. text/html; charset=utf-8."),
    )
    tlp = models.CharField(
        max_length=16,
        choices=Tlp.choices,
        default=Tlp.CLEAR,
        verbose_name=_("TLP"),
        help_text=_("Traffic Light Protocol 2.0 marking of what the STIX export takes from this report."),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # No lost updates (claimtracker.versioning).
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))
    STALE_LABEL = _("this report")  # how a refused save names it (claimtracker.versioning.StaleEdit)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )

    history = HistoricalRecords()

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-published", "-id"]
        indexes = [
            # Report lists (overview "recent reports", /api/v1/reports/) sort by date.
            models.Index(fields=["-published", "-id"], name="sources_report_published_idx"),
            # The overview's recently added reports (`ReportQuerySet.recently_added`).
            models.Index(fields=["created_at", "id"], name="sources_report_created_idx"),
            # `updated_since` (`ClaimQuerySet.changed_since`): the reports changed since a moment.
            models.Index(fields=["updated_at"], name="sources_report_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(tlp__in=Tlp.values), name="%(app_label)s_%(class)s_tlp_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.outlet}, {self.published:%d %b %Y}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("report_detail", args=[self.pk])

    def clean_fields(self, exclude=None) -> None:
        # Encoded before the URL and length checks, so that what is checked is what is stored (and served).
        self.url = as_uri(self.url)
        super().clean_fields(exclude)


class Reliability(models.TextChoices):
    """NATO Admiralty source reliability (AJP-2.1)."""

    A = "A", _("A · completely reliable")
    B = "B", _("B · usually reliable")
    C = "C", _("C · fairly reliable")
    D = "D", _("D · not usually reliable")
    E = "E", _("E · unreliable")
    F = "F", _("F · reliability cannot be judged")


def source_link(**kwargs) -> models.ForeignKey:
    """An optional link from a source to another (a chain the tracker follows; a cycle is refused)."""
    return models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, **kwargs)


class Source(models.Model):
    """Who a claim is attributed to: often not a name but a description.

    The same source can speak more than once ("un haut gradé malien" and
    "le haut gradé précité" are one source with two attributions).
    Reliability is the NATO Admiralty grade of the source, A to F.
    """

    class Kind(models.TextChoices):
        OUTLET = "outlet", _("Outlet's own reporting")
        NAMED_INDIVIDUAL = "named_individual", _("Named individual")
        ANONYMOUS_INDIVIDUAL = "anonymous_individual", _("Anonymous individual")
        DESCRIBED_INDIVIDUAL = "described_individual", _("Described individual")
        FORMER_OFFICIAL = "former_official", _("Former official")
        GROUP = "group", _("Group of sources")
        OBSERVERS = "observers", _("Observers / analysts")
        ORGANISATION = "organisation", _("Organisation")
        DOCUMENT = "document", _("Document / media")
        ESTIMATE = "estimate", _("Estimate")

    Reliability = Reliability

    label = models.CharField(
        max_length=200, verbose_name=_("label"), help_text=_("How an analyst names it, e.g. “un officier malien”.")
    )
    kind = models.CharField(max_length=32, choices=Kind.choices, verbose_name=_("kind"))
    description = models.TextField(blank=True, verbose_name=_("description"), help_text=_("As worded in the report."))
    affiliation = models.CharField(
        max_length=200, blank=True, verbose_name=_("affiliation"), help_text=_("e.g. Malian armed forces.")
    )
    side = models.CharField(
        max_length=100, blank=True, verbose_name=_("side / region"), help_text=_("e.g. Western, Malian, Turkish.")
    )
    anonymous = models.BooleanField(default=False, verbose_name=_("anonymous"))
    same_as = source_link(
        related_name="recorded_again_as",
        verbose_name=_("same speaker as"),
        help_text=_("The same speaker recorded twice (“le haut gradé précité”): both count as one origin."),
    )
    member_of = source_link(
        related_name="members",
        verbose_name=_("speaks for / member of"),
        help_text=_("The Malian army speaks for Mali's government: sources under one top are one party."),
    )
    reliability = models.CharField(
        max_length=1,
        choices=Reliability.choices,
        default=Reliability.F,
        verbose_name=_("reliability"),
        help_text=_("Admiralty source reliability. Anonymous sources start at F."),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # No lost updates (claimtracker.versioning).
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))
    STALE_LABEL = _("this source")  # how a refused save names it (claimtracker.versioning.StaleEdit)

    history = HistoricalRecords()

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["kind", "label", "id"]
        indexes = [
            # The sources page groups by kind; the claim filters join on kind and reliability.
            models.Index(fields=["kind", "label"], name="sources_source_kind_idx"),
            models.Index(fields=["reliability"], name="sources_source_reliability_idx"),
            # `updated_since` (`ClaimQuerySet.changed_since`): the sources changed (a regrade) since a moment.
            models.Index(fields=["updated_at"], name="sources_source_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reliability__in=Reliability.values),
                name="%(app_label)s_%(class)s_reliability_a_to_f",
            ),
        ]

    def __str__(self) -> str:
        suffix = " (anonymous)" if self.anonymous else ""
        return f"{self.reliability} · {self.label}{suffix}"

    def get_absolute_url(self) -> str:
        return reverse("source_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        for name in ("same_as", "member_of"):
            cycle = self._cycle_through(name)
            if cycle:
                labels = " → ".join(self._label_of(pk) for pk in cycle)
                raise ValidationError(
                    {name: gettext("This link would close a cycle: %(labels)s.") % {"labels": labels}}
                )

    def _cycle_through(self, name: str) -> list[int] | None:
        """The cycle that this source's `name` link, as edited, would close (read from the stored links)."""
        column = f"{name}_id"
        mine = getattr(self, column)
        if mine is None or self.pk is None:
            return None  # a new source has nobody pointing at it yet
        stored = Source.objects.values_list(column, flat=True)

        def parent(pk: int) -> int | None:
            return mine if pk == self.pk else stored.filter(pk=pk).first()

        return chain_cycle(self.pk, parent)

    def _label_of(self, pk: int) -> str:
        return self.label if pk == self.pk else Source.objects.values_list("label", flat=True).get(pk=pk)

    @property
    def canonical(self) -> Source:
        """The source this one is recorded again as the same speaker of (itself when none)."""
        source, seen = self, {self.pk}
        while source.same_as_id is not None and source.same_as_id not in seen:
            seen.add(source.same_as_id)
            source = source.same_as
        return source

    @property
    def party(self) -> Source:
        """The top of the `member_of` chain, after `same_as` at each step: who it speaks for in the end."""
        source, seen = self.canonical, {self.pk}
        while source.member_of_id is not None and source.member_of_id not in seen:
            seen.add(source.member_of_id)
            source = source.member_of.canonical
        return source


class DerivationKind(models.TextChoices):
    RELAYS = "relays", _("Relays (republishes or rewrites it)")
    QUOTES = "quotes", _("Quotes (cites it for what it says)")
    TRANSLATES = "translates", _("Translates")
    SUMMARISES = "summarises", _("Summarises")


class ReportDerivation(models.Model):
    """This report derives from that one: it relays, quotes, translates or summarises it.

    A report that repeats another is not an independent confirmation of what
    it repeats: the tracker counts the attributions it relays as the
    original's origin (`claims.corroboration`).
    """

    Kind = DerivationKind

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="derivations", verbose_name=_("report"))
    original = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        related_name="derivatives",
        verbose_name=_("original"),
        help_text=_("The report it derives from."),
    )
    kind = models.CharField(
        max_length=16, choices=DerivationKind.choices, default=DerivationKind.RELAYS, verbose_name=_("kind")
    )
    note = models.TextField(blank=True, verbose_name=_("note"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report derivation")
        verbose_name_plural = _("report derivations")
        ordering = ["report_id", "original_id"]
        constraints = [
            *link_constraints(
                "report",
                "original",
                self_message=_("A report cannot derive from itself."),
                pair_message=_("This derivation is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DerivationKind.values), name="%(app_label)s_%(class)s_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.report_id} {self.kind} #{self.original_id}"

    def clean(self) -> None:
        super().clean()
        if self.report_id is None or self.original_id is None or self.report_id == self.original_id:
            return
        edges: dict[int, list[int]] = {}
        for report, original in ReportDerivation.objects.exclude(pk=self.pk).values_list("report_id", "original_id"):
            edges.setdefault(report, []).append(original)
        cycle = closes_cycle(edges, self.report_id, self.original_id)
        if cycle:
            titles = dict(Report.objects.filter(pk__in=cycle).values_list("pk", "title"))
            chain = " → ".join(f"“{titles.get(pk, pk)}”" for pk in cycle)
            message = gettext("This would make the report derive from itself: %(chain)s.") % {"chain": chain}
            raise ValidationError({"original": message})
