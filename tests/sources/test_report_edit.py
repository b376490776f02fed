"""Editing a report's text keeps every quote anchored in it: body[start:end] == quote, always."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import services
from claims.models import Attribution, Claim
from sources.models import Report
from tests.adminforms import form_data, messages_of
from tests.factories import BODY, AttributionFactory, ClaimFactory, ReportFactory
from tests.helpers import change_url, logged_in, page_text

QUOTE = "les drones sont arriv\u00e9s \u00e0 la fin de 2022"


def edit_body(client, report, edit):
    """Open the report's change page, edit its body as a browser would, and save."""
    data = form_data(client.get(change_url(report)))
    data["body"] = edit(data["body"])
    return client.post(change_url(report), data, follow=True)


def assert_anchored(report):
    body = Report.objects.get(pk=report.pk).body
    for attribution in Attribution.objects.filter(report=report):
        assert body[attribution.start : attribution.end] == attribution.quote


def snapshot(report):
    """Everything a report save can write."""
    return (
        Report.objects.filter(pk=report.pk).values().get(),
        list(Attribution.objects.order_by("pk").values()),
        list(Claim.objects.order_by("pk").values("pk", "status", "version")),
        Report.history.count(),
        Attribution.history.count(),
    )


@pytest.fixture
def vetted_quote():
    """A vetted claim quoting the report's first sentence, and another quoting its second."""
    report = ReportFactory(title="Des drones turcs au Mali")
    first = AttributionFactory(report=report, claim=ClaimFactory(status=Claim.Status.VETTED), quote=QUOTE)
    second = AttributionFactory(report=report, claim=ClaimFactory(status=Claim.Status.VETTED), quote="Ils sont")
    return report, first, second


@pytest.mark.django_db
@pytest.mark.parametrize(
    "edit",
    [
        lambda body: "Mis à jour le 3 mars. " + body,  # text inserted before every quote
        lambda body: body.replace("Selon un officier malien, qui a requis l\u2019anonymat, ", "Selon un officier, "),
        lambda body: body + " Un paragraphe ajouté à la fin.",  # after every quote
    ],
    ids=["inserted-at-the-start", "shortened-before-the-quotes", "appended-after-the-quotes"],
)
def test_editing_text_around_the_quotes_re_anchors_them_and_vetted_claims_stay_vetted(analyst, vetted_quote, edit):
    report, first, _ = vetted_quote

    response = edit_body(logged_in(analyst), report, edit)

    assert response.redirect_chain[-1][1] == 302
    assert Report.objects.get(pk=report.pk).body == edit(BODY)
    assert_anchored(report)
    assert Attribution.objects.get(pk=first.pk).quote == QUOTE
    assert set(Claim.objects.values_list("status", flat=True)) == {Claim.Status.VETTED}


@pytest.mark.django_db
def test_a_quote_the_text_repeats_stays_on_its_own_occurrence_when_text_before_it_is_removed(analyst):
    report = ReportFactory(body="Intro longue. Ils sont là. Milieu. Ils sont là. Fin.")
    later = AttributionFactory(report=report, quote="Ils sont là", start=35, end=46)

    edit_body(logged_in(analyst), report, lambda body: body.replace("Intro longue. ", ""))

    later.refresh_from_db()
    assert (later.start, later.end) == (35 - len("Intro longue. "), 46 - len("Intro longue. "))
    assert_anchored(report)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("edit", "now"),
    [
        (lambda body: body.replace("la fin de 2022", "la fin de\u00a02022"), "la fin de\u00a02022"),
        (lambda body: body.replace("la fin de 2022", "la fin\nde 2022"), "la fin\nde"),
    ],
    ids=["space-made-non-breaking", "line-rewrapped"],
)
def test_changing_a_quoted_passage_sends_its_vetted_claim_back_to_review_with_the_reason(
    analyst, vetted_quote, edit, now
):
    report, first, second = vetted_quote

    response = edit_body(logged_in(analyst), report, edit)

    first.refresh_from_db()
    assert first.quote != QUOTE
    assert now in first.quote
    assert_anchored(report)
    claim = first.claim
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    step = claim.transitions.get()
    assert (step.from_status, step.by) == (Claim.Status.VETTED, analyst)
    assert f"“{QUOTE}” now reads “{first.quote}”" in step.comment
    assert "Des drones turcs au Mali" in step.comment
    assert f"went back to review: #{claim.pk}." in " ".join(messages_of(response))
    second.claim.refresh_from_db()
    assert second.claim.status == Claim.Status.VETTED  # its quote only moved, or not even that


@pytest.mark.django_db
@pytest.mark.parametrize(
    "edit",
    [
        lambda body: body.replace("les drones sont arriv\u00e9s \u00e0 la fin de 2022", "les drones sont là"),
        lambda body: body.replace("arriv\u00e9s", "arriv\u00e9es"),  # one letter inside the quote
    ],
    ids=["passage-removed", "letter-changed"],
)
def test_a_body_that_loses_a_quote_is_refused_naming_it_and_writes_nothing(analyst, vetted_quote, edit):
    report, first, _ = vetted_quote
    before = snapshot(report)

    response = edit_body(logged_in(analyst), report, edit)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert errors == [
        f"The new text no longer contains the quote of claim #{first.claim_id}: "
        f"“{QUOTE}”. Keep that passage, or change the claim's attribution first."
    ]
    assert f"claim #{first.claim_id}" in page_text(response)
    assert snapshot(report) == before


@pytest.mark.django_db
def test_the_service_refuses_a_lost_quote_and_writes_nothing(analyst, vetted_quote):
    report, first, _ = vetted_quote
    before = snapshot(report)
    edited = Report.objects.get(pk=report.pk)
    edited.body = "Un tout autre texte."

    with pytest.raises(ValidationError) as refused:
        services.report_save(report=edited, by=analyst)

    assert len(refused.value.messages) == 2  # both quotes, each by its claim
    assert f"claim #{first.claim_id}" in refused.value.messages[0]
    assert snapshot(report) == before


@pytest.mark.django_db
def test_the_second_of_two_report_edits_is_still_refused(analyst, second_analyst, vetted_quote):
    report, *_ = vetted_quote
    first, second = logged_in(analyst), logged_in(second_analyst)
    first_data, second_data = form_data(first.get(change_url(report))), form_data(second.get(change_url(report)))
    first_data["body"] = "Mis à jour. " + first_data["body"]
    second_data["author"] = "Morgane Le Cam"

    assert first.post(change_url(report), first_data).status_code == 302
    response = second.post(change_url(report), second_data)

    assert "Someone else changed this report since you opened it (ana changed body)" in page_text(response)
    report.refresh_from_db()
    assert (report.body, report.author) == ("Mis à jour. " + BODY, "Benjamin Roger")
    assert_anchored(report)


def test_an_analyst_who_had_the_claim_open_while_its_quote_moved_is_told_someone_changed_it(
    analyst, second_analyst, vetted_quote
):
    report, first, _ = vetted_quote
    claim_page = reverse("admin:claims_claim_change", args=[first.claim_id])
    editor = logged_in(analyst)
    opened = form_data(editor.get(claim_page))  # the claim form, with the quote's old offsets

    edit_body(logged_in(second_analyst), report, lambda body: "Mise à jour. " + body)
    opened["statement"] = "An edit made on the old page."
    response = editor.post(claim_page, opened, follow=True)

    assert "Someone else changed claim" in page_text(response)
    assert Claim.objects.get(pk=first.claim_id).statement != "An edit made on the old page."
    assert_anchored(report)
