"""Reports (the documents that carry claims) and sources (who a claim is attributed to)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from sources.querysets import ReportQuerySet, SourceQuerySet


class Report(models.Model):
    """A document that carries claims: an article, a statement, a post, a video.

    Its `body` is the text that attributions anchor their quotes in. When the
    full text is not ours to store, the body is an analyst's excerpt or
    summary and `body_kind` says so.
    """

    class Kind(models.TextChoices):
        NEWS_ARTICLE = "news_article", "News article"
        OFFICIAL_STATEMENT = "official_statement", "Official statement"
        NGO_REPORT = "ngo_report", "NGO report"
        SOCIAL_MEDIA_POST = "social_media_post", "Social-media post"
        VIDEO = "video", "Video"
        OTHER = "other", "Other"

    class BodyKind(models.TextChoices):
        FULL_TEXT = "full_text", "Full text"
        ANALYST_EXCERPT = "analyst_excerpt", "Analyst's excerpt or summary"

    title = models.CharField(max_length=300)
    outlet = models.CharField(max_length=200, help_text="Publisher or issuer, e.g. Le Monde.")
    author = models.CharField(max_length=200, blank=True)
    published = models.DateField(help_text="Publication date: places its evidence in time.")
    url = models.URLField(max_length=500, blank=True, verbose_name="URL")
    language = models.CharField(max_length=12, default="fr", help_text="BCP 47 language code of the body, e.g. fr, en.")
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.NEWS_ARTICLE)
    body_kind = models.CharField(
        max_length=32,
        choices=BodyKind.choices,
        default=BodyKind.FULL_TEXT,
        verbose_name="text held",
        help_text="Whether the body is the report's full text or an analyst's excerpt of it.",
    )
    body = models.TextField(help_text="The text that quotes are anchored in.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)  # no lost updates (claimtracker.versioning)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-id"]
        indexes = [
            # Report lists (overview "recent reports", /api/v1/reports/) sort by date.
            models.Index(fields=["-published", "-id"], name="sources_report_published_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.outlet}, {self.published:%d %b %Y}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("report_detail", args=[self.pk])


class Reliability(models.TextChoices):
    """NATO Admiralty source reliability (AJP-2.1)."""

    A = "A", "A · completely reliable"
    B = "B", "B · usually reliable"
    C = "C", "C · fairly reliable"
    D = "D", "D · not usually reliable"
    E = "E", "E · unreliable"
    F = "F", "F · reliability cannot be judged"


class Source(models.Model):
    """Who a claim is attributed to: often not a name but a description.

    The same source can speak more than once ("un haut gradé malien" and
    "le haut gradé précité" are one source with two attributions).
    Reliability is the NATO Admiralty grade of the source, A to F.
    """

    class Kind(models.TextChoices):
        OUTLET = "outlet", "Outlet's own reporting"
        NAMED_INDIVIDUAL = "named_individual", "Named individual"
        ANONYMOUS_INDIVIDUAL = "anonymous_individual", "Anonymous individual"
        DESCRIBED_INDIVIDUAL = "described_individual", "Described individual"
        FORMER_OFFICIAL = "former_official", "Former official"
        GROUP = "group", "Group of sources"
        OBSERVERS = "observers", "Observers / analysts"
        ORGANISATION = "organisation", "Organisation"
        DOCUMENT = "document", "Document / media"
        ESTIMATE = "estimate", "Estimate"

    Reliability = Reliability

    label = models.CharField(max_length=200, help_text="How an analyst names it, e.g. “un officier malien”.")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    description = models.TextField(blank=True, help_text="As worded in the report.")
    affiliation = models.CharField(max_length=200, blank=True, help_text="e.g. Malian armed forces.")
    side = models.CharField(
        max_length=100, blank=True, verbose_name="side / region", help_text="e.g. Western, Malian, Turkish."
    )
    anonymous = models.BooleanField(default=False)
    reliability = models.CharField(
        max_length=1,
        choices=Reliability.choices,
        default=Reliability.F,
        help_text="Admiralty source reliability. Anonymous sources start at F.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)  # no lost updates (claimtracker.versioning)

    history = HistoricalRecords()

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "label", "id"]
        indexes = [
            # The sources page groups by kind; the claim filters join on kind and reliability.
            models.Index(fields=["kind", "label"], name="sources_source_kind_idx"),
            models.Index(fields=["reliability"], name="sources_source_reliability_idx"),
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
