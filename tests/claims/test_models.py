"""The claims model: quote anchoring, invariants in the database and in validation, protected deletes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.anchoring import normalise
from claims.demo import DEMO_DIR
from claims.models import Attribution, Claim, ClaimRelation
from sources.models import Report, Source
from tests.factories import (
    BODY,
    AttributionFactory,
    ClaimFactory,
    ClaimRelationFactory,
    ReportFactory,
    SourceFactory,
)

ARTICLE = (DEMO_DIR / "lemonde-2026-01-29-turquie-mali.txt").read_text(encoding="utf-8")


def typed_plainly(text: str) -> str:
    """What an analyst types for `text`: straight apostrophes and quotes, plain spaces."""
    return text.replace("\u2019", "'").replace("\u00ab", '"').replace("\u00bb", '"').replace("\u00a0", " ")


def unsaved_attribution(quote: str, *, body: str = BODY, start=None, end=None) -> Attribution:
    return Attribution(
        claim=ClaimFactory(), source=SourceFactory(), report=ReportFactory(body=body), quote=quote, start=start, end=end
    )


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# Quote anchoring, through the model -------------------------------------------------------------


@pytest.mark.django_db
def test_blank_offsets_are_filled_by_locating_the_quote():
    attribution = unsaved_attribution("les drones sont arriv\u00e9s \u00e0 la fin de 2022")

    attribution.full_clean()

    assert (attribution.start, attribution.end) == (BODY.index("les drones"), BODY.index("2022.") + 4)
    assert BODY[attribution.start : attribution.end] == attribution.quote


@pytest.mark.django_db
def test_a_quote_typed_with_plain_apostrophes_quotes_and_spaces_is_stored_with_the_reports_typography():
    attribution = unsaved_attribution(
        '"Ils sont tr\u00e8s discrets", affirme une source. Environ 2 000 membres d\'Africa'
    )

    attribution.full_clean()

    assert attribution.quote == (
        "\u00ab\u00a0Ils sont tr\u00e8s discrets\u00a0\u00bb, affirme une source. "
        "Environ 2\u00a0000 membres d\u2019Africa"
    )
    assert BODY[attribution.start : attribution.end] == attribution.quote


@pytest.mark.django_db
def test_a_quote_typed_with_the_reports_own_typography_is_found_too():
    attribution = unsaved_attribution("l\u2019anonymat")

    attribution.full_clean()

    assert attribution.quote == "l\u2019anonymat"


@pytest.mark.django_db
def test_line_breaks_and_runs_of_spaces_in_a_quote_do_not_matter():
    attribution = unsaved_attribution("les drones\n   sont  arriv\u00e9s\t\u00e0 la fin")

    attribution.full_clean()

    assert attribution.quote == "les drones sont arriv\u00e9s \u00e0 la fin"


@pytest.mark.django_db
def test_a_quote_not_in_the_report_is_refused_with_the_reports_title():
    attribution = unsaved_attribution("les drones sont arriv\u00e9s en 2019")

    with pytest.raises(ValidationError) as refused:
        attribution.full_clean()

    message = messages_of(refused.value)
    assert "does not occur in the report's text" in message
    assert attribution.report.title in message
    assert list(refused.value.message_dict) == ["quote"]


@pytest.mark.django_db
def test_offsets_that_point_elsewhere_are_refused_showing_the_text_they_point_at():
    start = BODY.index("Plusieurs")
    attribution = unsaved_attribution("les drones sont arriv\u00e9s", start=start, end=start + 20)

    with pytest.raises(ValidationError) as refused:
        attribution.full_clean()

    message = messages_of(refused.value)
    assert "not the quote" in message
    assert "“Plusieurs observateu”" in message
    assert "Clear the offsets" in message


@pytest.mark.django_db
def test_offsets_beyond_the_end_of_the_report_are_refused():
    attribution = unsaved_attribution("les drones", start=10, end=len(BODY) + 5)

    with pytest.raises(ValidationError, match="outside the report's text"):
        attribution.full_clean()


@pytest.mark.django_db
def test_offsets_that_point_at_the_quote_are_kept():
    start = BODY.index("Plusieurs")
    attribution = unsaved_attribution("Plusieurs observateurs", start=start, end=start + 22)

    attribution.full_clean()

    assert (attribution.start, attribution.end, attribution.quote) == (start, start + 22, "Plusieurs observateurs")


@pytest.mark.django_db
def test_a_start_alone_anchors_the_occurrence_from_there():
    body = "Les drones. Puis encore les drones. Et les drones."
    second = body.index("les drones", 5)
    attribution = unsaved_attribution("les drones", body=body, start=second)

    attribution.full_clean()

    assert (attribution.start, attribution.end) == (second, second + len("les drones"))


@pytest.mark.django_db
def test_a_saved_attribution_always_has_the_quote_at_its_offsets():
    attribution = AttributionFactory(quote="Environ 2 000 membres d'Africa Corps")

    attribution.refresh_from_db()

    assert attribution.report.body[attribution.start : attribution.end] == attribution.quote


def test_any_passage_of_the_article_typed_plainly_anchors_back_to_the_article_text():
    report = Report(pk=1, body=ARTICLE)

    @settings(max_examples=300, deadline=None)
    @given(data=st.data())
    def check(data):
        start = data.draw(st.integers(0, len(ARTICLE) - 2), label="start")
        end = data.draw(st.integers(start + 1, min(len(ARTICLE), start + 400)), label="end")
        passage = ARTICLE[start:end]
        if not passage.strip():
            return
        typed = typed_plainly(passage)
        if data.draw(st.booleans(), label="with line breaks"):
            typed = typed.replace(" ", "\n ")
        attribution = Attribution(report=report, quote=typed)

        attribution.clean()

        assert ARTICLE[attribution.start : attribution.end] == attribution.quote
        assert normalise(attribution.quote).strip() == normalise(typed).strip()

    check()


# Database constraints: they hold when validation is bypassed --------------------------------------


def refused_by_the_database(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


@pytest.mark.django_db
def test_the_database_refuses_a_claim_related_to_itself():
    claim = ClaimFactory()

    refused_by_the_database(
        lambda: ClaimRelation.objects.create(from_claim=claim, to_claim=claim, kind=ClaimRelation.Kind.REFINES)
    )
    assert not ClaimRelation.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_relation_turned_onto_itself_by_an_update():
    relation = ClaimRelationFactory()

    refused_by_the_database(lambda: ClaimRelation.objects.filter(pk=relation.pk).update(to_claim=relation.from_claim))


@pytest.mark.django_db
def test_the_database_refuses_the_same_two_claims_related_twice():
    relation = ClaimRelationFactory()

    refused_by_the_database(
        lambda: ClaimRelation.objects.bulk_create(
            [ClaimRelation(from_claim=relation.from_claim, to_claim=relation.to_claim, kind=ClaimRelation.Kind.REFINES)]
        )
    )
    assert ClaimRelation.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("credibility", [0, 7, 9])
def test_the_database_refuses_a_credibility_outside_1_to_6(credibility):
    attribution = AttributionFactory()
    kwargs = {
        "claim": attribution.claim,
        "source": attribution.source,
        "report": attribution.report,
        "quote": attribution.quote,
        "start": attribution.start,
        "end": attribution.end,
    }

    refused_by_the_database(lambda: Attribution.objects.create(credibility=credibility, **kwargs))
    refused_by_the_database(lambda: Attribution.objects.filter(pk=attribution.pk).update(credibility=credibility))
    attribution.refresh_from_db()
    assert attribution.credibility == 3


@pytest.mark.django_db
def test_the_database_refuses_a_reliability_outside_a_to_f():
    source = SourceFactory()

    refused_by_the_database(lambda: Source.objects.create(label="x", kind=Source.Kind.GROUP, reliability="G"))
    refused_by_the_database(lambda: Source.objects.filter(pk=source.pk).update(reliability="G"))
    refused_by_the_database(lambda: Source.objects.bulk_create([Source(label="y", kind="group", reliability="a")]))


@pytest.mark.django_db
@pytest.mark.parametrize("span", [(5, 5), (9, 4), (None, None), (3, None)])
def test_the_database_refuses_an_attribution_without_a_span(span):
    attribution = AttributionFactory()
    start, end = span

    refused_by_the_database(lambda: Attribution.objects.filter(pk=attribution.pk).update(start=start, end=end))


@pytest.mark.django_db
def test_the_database_refuses_a_date_without_its_precision_and_a_precision_without_a_date():
    refused_by_the_database(lambda: Claim.objects.create(statement="x", about_date=datetime.date(2025, 4, 1)))
    refused_by_the_database(lambda: Claim.objects.create(statement="x", about_precision=Claim.DatePrecision.MONTH))


@pytest.mark.django_db
def test_the_database_refuses_an_unknown_status():
    claim = ClaimFactory()

    refused_by_the_database(lambda: Claim.objects.filter(pk=claim.pk).update(status="published"))


# Validation: the same invariants, as messages an analyst reads ------------------------------------


@pytest.mark.django_db
def test_validation_refuses_a_claim_related_to_itself_with_a_clear_message():
    claim = ClaimFactory()

    with pytest.raises(ValidationError, match="A claim cannot be related to itself"):
        ClaimRelation(from_claim=claim, to_claim=claim, kind=ClaimRelation.Kind.REFINES).full_clean()


@pytest.mark.django_db
def test_validation_refuses_the_same_two_claims_related_twice_either_way_round():
    relation = ClaimRelationFactory()

    with pytest.raises(ValidationError, match="already related"):
        ClaimRelation(
            from_claim=relation.from_claim, to_claim=relation.to_claim, kind=ClaimRelation.Kind.REFINES
        ).full_clean()
    with pytest.raises(ValidationError, match="already related the other way round"):
        ClaimRelation(
            from_claim=relation.to_claim, to_claim=relation.from_claim, kind=ClaimRelation.Kind.REFINES
        ).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("credibility", [0, 7, 9])
def test_validation_refuses_a_credibility_outside_1_to_6(credibility):
    attribution = unsaved_attribution("les drones")
    attribution.credibility = credibility

    with pytest.raises(ValidationError) as refused:
        attribution.full_clean()

    assert "credibility" in refused.value.message_dict
    assert f"{credibility} is not a valid choice" in messages_of(refused.value)


@pytest.mark.django_db
def test_validation_refuses_a_reliability_outside_a_to_f():
    with pytest.raises(ValidationError) as refused:
        Source(label="x", kind=Source.Kind.GROUP, reliability="G").full_clean()

    assert "'G' is not a valid choice" in messages_of(refused.value)


@pytest.mark.django_db
def test_validation_refuses_a_date_without_its_precision_with_a_clear_message():
    with pytest.raises(ValidationError, match="A date needs its precision"):
        ClaimFactory(about_date=datetime.date(2025, 4, 1))


@pytest.mark.django_db
def test_a_claim_about_an_unfixable_time_keeps_the_time_as_worded():
    claim = Claim(statement="x", about_text="depuis la fin de 2024")

    claim.full_clean()

    assert claim.about == "depuis la fin de 2024"


def test_a_claims_time_reads_at_its_precision():
    claim = Claim(about_date=datetime.date(2022, 12, 1), about_precision=Claim.DatePrecision.APPROXIMATE)

    assert claim.about == "c. Dec 2022"
    claim.about_precision, claim.about_text = Claim.DatePrecision.YEAR, "fin 2022"
    assert claim.about == "2022 (fin 2022)"


# What an analyst reads at a glance ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_attribution_reads_with_its_admiralty_grade():
    attribution = AttributionFactory(source=SourceFactory(label="un officier malien", reliability="C"), credibility=3)

    assert attribution.grade == "C3"
    assert str(attribution).startswith("C3 · un officier malien selon: “les drones")


def test_a_source_reads_with_its_reliability_and_anonymity():
    source = Source(label="un officier malien", reliability=Source.Reliability.F, anonymous=True)

    assert str(source) == "F · un officier malien (anonymous)"


def test_a_long_statement_is_shortened_in_lists():
    claim = Claim(pk=7, statement="x" * 120)

    assert str(claim) == "#7 " + "x" * 89 + "…"


# Protected deletes: evidence is never lost ---------------------------------------------------------


@pytest.mark.django_db
def test_a_source_that_evidence_points_at_cannot_be_deleted():
    attribution = AttributionFactory()

    with pytest.raises(ProtectedError):
        attribution.source.delete()
    assert Attribution.objects.filter(pk=attribution.pk).exists()


@pytest.mark.django_db
def test_a_report_that_evidence_points_at_cannot_be_deleted():
    attribution = AttributionFactory()

    with pytest.raises(ProtectedError):
        Report.objects.filter(pk=attribution.report_id).delete()
    assert Attribution.objects.filter(pk=attribution.pk).exists()


@pytest.mark.django_db
def test_a_claim_that_another_claim_relates_to_cannot_be_deleted():
    relation = ClaimRelationFactory()

    with pytest.raises(ProtectedError):
        relation.to_claim.delete()
    assert ClaimRelation.objects.filter(pk=relation.pk).exists()


@pytest.mark.django_db
def test_deleting_a_draft_claim_takes_its_attributions_and_outgoing_relations_with_it():
    relation = ClaimRelationFactory()
    attribution = AttributionFactory(claim=relation.from_claim)

    relation.from_claim.delete()

    assert not Attribution.objects.filter(pk=attribution.pk).exists()
    assert not ClaimRelation.objects.exists()
    assert Source.objects.filter(pk=attribution.source_id).exists()


def test_only_claims_that_never_left_the_building_may_be_deleted():
    deletable = {status for status in Claim.Status if Claim(status=status).can_be_deleted}

    assert deletable == {Claim.Status.DRAFT, Claim.Status.REJECTED}
