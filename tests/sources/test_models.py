"""Reports and sources: what an analyst reads at a glance, and the evidence they carry is never lost."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from claims import reads
from sources.models import Report, Source
from tests.factories import AttributionFactory, ReportFactory, SourceFactory


def test_a_source_reads_with_its_grade_label_and_anonymity():
    assert (
        str(Source(label="un officier malien", reliability="F", anonymous=True)) == "F · un officier malien (anonymous)"
    )
    assert str(Source(label="Rida Lyammouri", reliability="C")) == "C · Rida Lyammouri"


def test_a_new_source_cannot_be_judged_until_an_analyst_grades_it():
    assert Source(label="une source").reliability == Source.Reliability.F


def test_a_report_reads_with_its_outlet_and_date():
    report = Report(outlet="Le Monde", published=datetime.date(2026, 1, 29), title="La Turquie au Mali")

    assert str(report) == "Le Monde, 29 Jan 2026: La Turquie au Mali"


def test_a_report_holds_its_full_text_unless_it_says_it_holds_an_analysts_excerpt():
    assert Report().body_kind == Report.BodyKind.FULL_TEXT
    assert Report.BodyKind.ANALYST_EXCERPT.label == "Analyst's excerpt or summary"


@pytest.mark.django_db
def test_a_source_needs_a_label_and_a_kind():
    with pytest.raises(ValidationError) as refused:
        Source().full_clean()

    assert set(refused.value.message_dict) == {"label", "kind"}


@pytest.mark.django_db
@pytest.mark.parametrize("grade", ["G", "a", ""])
def test_a_reliability_outside_a_to_f_is_refused_by_validation_and_by_the_database(grade):
    with pytest.raises(ValidationError):
        Source(label="x", kind=Source.Kind.GROUP, reliability=grade).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(label="x", kind=Source.Kind.GROUP, reliability=grade)


@pytest.mark.django_db
def test_a_source_that_evidence_points_at_cannot_be_deleted_even_in_bulk():
    attribution = AttributionFactory()
    SourceFactory()

    with pytest.raises(ProtectedError):
        Source.objects.all().delete()
    assert Source.objects.count() == 2
    attribution.refresh_from_db()


@pytest.mark.django_db
def test_a_report_that_evidence_points_at_cannot_be_deleted():
    attribution = AttributionFactory()

    with pytest.raises(ProtectedError):
        attribution.report.delete()
    assert Report.objects.filter(pk=attribution.report_id).exists()


@pytest.mark.django_db
def test_a_source_or_report_without_evidence_can_be_deleted():
    SourceFactory().delete()
    ReportFactory().delete()

    assert not Source.objects.exists()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_reports_count_their_attributions():
    report = ReportFactory()
    AttributionFactory(report=report)
    AttributionFactory(report=report)

    assert reads.reports_with_attribution_counts(Report.objects.all()).get(pk=report.pk).attribution_count == 2
