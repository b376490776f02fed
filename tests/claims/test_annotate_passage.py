"""A passage selected on a report's page opens the claim form filled in; the claims like it are offered
wherever a claim is written, so a later report lands on the claim it corroborates."""

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from claims.models import QUOTE_LIMIT, Attribution, Claim
from tests.adminforms import form_data, inline_prefix, messages_of
from tests.factories import ClaimFactory, EntityFactory, ReportFactory, SourceFactory, UserFactory
from tests.helpers import logged_in, page_text

ADD = reverse("admin:claims_claim_add")
SIMILAR = reverse("admin:claims_claim_similar")
PASSAGE = "«\u00a0Ils sont tr\u00e8s discrets\u00a0»"  # of tests.factories.BODY: guillemets, NBSP, an accent


def passage_url(report, start, end, url=ADD, **more) -> str:
    return f"{url}?{urlencode({'report': report.pk, 'start': start, 'end': end, **more})}"


def span(report, text: str) -> tuple[int, int]:
    start = report.body.index(text)
    return start, start + len(text)


def attribution_forms(response) -> list:
    return next(
        inline.formset.forms
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Attribution
    )


def filled_in(response) -> dict:
    """What the form offers from a passage: the original wording, and the first new attribution's fields."""
    new = [form for form in attribution_forms(response) if form.instance.pk is None]
    wording = response.context["adminform"].form.initial.get("original_wording")
    return {"original_wording": wording, "attribution": new[0].initial if new else None}


@pytest.fixture
def analyst_client(analyst):
    return logged_in(analyst)


@pytest.fixture
def drones_claim():
    """A claim on file about the passage of `tests.factories.BODY` that says the drones arrived."""
    claim = ClaimFactory(
        statement="Turkish drones arrived in Mali at the end of 2022.",
        original_wording="les drones sont arrivés à la fin de 2022",
    )
    claim.entities.add(EntityFactory(name="Mali"))
    return claim


# The passage fills in the form ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_passage_selected_on_the_report_page_fills_in_the_claim_form_and_saves_as_its_evidence(analyst_client):
    report, source = ReportFactory(), SourceFactory()
    start, end = span(report, PASSAGE)

    response = analyst_client.get(passage_url(report, start, end))

    assert filled_in(response) == {
        "original_wording": PASSAGE,
        "attribution": {"report": report.pk, "quote": PASSAGE, "start": start, "end": end},
    }
    assert PASSAGE in page_text(response)
    data = form_data(response)
    data.update({"statement": "Turkish drones in Mali are very discreet.", "attributions-0-source": str(source.pk)})

    saved = analyst_client.post(passage_url(report, start, end), data)  # the form posts back to its own URL

    assert saved.status_code == 302, page_text(saved)[:3000]
    attribution = Attribution.objects.select_related("claim").get()
    assert (attribution.report, attribution.quote, attribution.start, attribution.end) == (report, PASSAGE, start, end)
    assert attribution.claim.original_wording == PASSAGE


@pytest.mark.django_db
def test_whitespace_around_the_selection_no_break_spaces_included_is_left_out_of_the_quote(analyst_client):
    report = ReportFactory()
    start, end = span(report, "Ils sont très discrets")  # between "«\u00a0" and "\u00a0»"

    response = analyst_client.get(passage_url(report, start - 1, end + 1))

    assert filled_in(response)["attribution"] == {
        "report": report.pk,
        "quote": "Ils sont très discrets",
        "start": start,
        "end": end,
    }


@pytest.mark.django_db
def test_offsets_count_a_windows_line_end_as_the_page_shows_it_one_character(analyst_client):
    report = ReportFactory(body="Première ligne.\r\nLes drones seraient arrivés.\r\nFin.")
    shown = report.body.replace("\r\n", "\n")
    start = shown.index("Les drones")
    quote = "Les drones seraient arrivés."

    response = analyst_client.get(passage_url(report, start, start + len(quote)))

    attribution = filled_in(response)["attribution"]
    assert attribution["quote"] == quote
    assert report.body[attribution["start"] : attribution["end"]] == quote
    # "Add this passage as evidence for #N" passes it on counted the same way.
    assert response.context["passage"].query == urlencode(
        {"report": report.pk, "start": start, "end": start + len(quote)}
    )


@pytest.mark.django_db
def test_only_the_report_and_offsets_come_from_the_url_the_quote_is_read_from_the_body(analyst_client):
    report = ReportFactory()
    start, end = span(report, PASSAGE)

    response = analyst_client.get(passage_url(report, start, end, quote="Ankara a livré 600 drones."))

    assert filled_in(response)["attribution"]["quote"] == PASSAGE


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"start": "abc", "end": "12"}, "whole numbers"),
        ({"start": "3.5", "end": "12"}, "whole numbers"),
        ({"start": "-1", "end": "12"}, "greater than or equal to 0"),
        ({"start": "12"}, "no end given"),
        ({"start": "40", "end": "40"}, "is not a passage"),
        ({"start": "40", "end": "30"}, "is not a passage"),
        ({"start": "0", "end": "100000"}, "is not a passage"),
        ({"report": "999999", "start": "0", "end": "12"}, "there is no such report"),
        ({"report": "", "start": "0", "end": "12"}, "no report given"),
        ({"blank": True}, "the passage is blank"),
    ],
)
def test_a_forged_or_stale_passage_is_refused_with_a_message_and_fills_in_nothing(analyst_client, params, reason):
    report = ReportFactory()
    if params.pop("blank", False):
        between = report.body.index(" «")  # the space between two sentences
        params = {"start": between, "end": between + 1}

    response = analyst_client.get(f"{ADD}?{urlencode({'report': report.pk, **params})}")

    assert response.status_code == 200
    [message] = messages_of(response)
    assert message.startswith("Nothing was filled in from the passage") and reason in message
    assert filled_in(response) == {"original_wording": None, "attribution": None}
    assert "Similar claims" not in page_text(response)


@pytest.mark.django_db
def test_a_passage_longer_than_a_quote_may_be_is_refused(analyst_client):
    report = ReportFactory(body="Les drones. " * (QUOTE_LIMIT // 10))

    response = analyst_client.get(passage_url(report, 0, QUOTE_LIMIT + 2))

    assert "longer than a quote may be" in messages_of(response)[0]
    assert filled_in(response)["attribution"] is None


# Similar claims: the passage lands on the claim it corroborates ------------------------------------------


@pytest.mark.django_db
def test_the_claim_form_lists_the_claims_like_the_passage_the_closest_first(analyst_client, drones_claim):
    ClaimFactory(statement="The junta expelled the French ambassador.", original_wording="L'ambassadeur est expulsé.")
    ClaimFactory(statement="Drones were seen over Bamako.", original_wording="Des drones ont été vus.")
    report = ReportFactory()
    start, end = span(report, "les drones sont arrivés à la fin de 2022")

    response = analyst_client.get(passage_url(report, start, end))

    similar = response.context["similar_claims"]
    assert similar[0] == drones_claim
    assert "The junta expelled the French ambassador." not in [claim.statement for claim in similar]
    text = page_text(response)
    assert f"Add this passage as evidence for #{drones_claim.pk}" in text
    assert passage_url(report, start, end, url=reverse("admin:claims_claim_change", args=[drones_claim.pk])) in text


@pytest.mark.django_db
def test_adding_the_passage_as_evidence_for_a_similar_claim_opens_that_claim_filled_in_without_listing_itself(
    analyst_client, drones_claim
):
    report, source = ReportFactory(), SourceFactory()
    start, end = span(report, "les drones sont arrivés à la fin de 2022")
    url = passage_url(report, start, end, url=reverse("admin:claims_claim_change", args=[drones_claim.pk]))

    response = analyst_client.get(url)

    assert drones_claim not in response.context["similar_claims"]
    assert filled_in(response)["attribution"]["quote"] == "les drones sont arrivés à la fin de 2022"
    assert response.context["adminform"].form.initial["original_wording"] == drones_claim.original_wording
    data = form_data(response)
    data[f"{inline_prefix(response, Attribution)}-0-source"] = str(source.pk)
    saved = analyst_client.post(url, data)
    assert saved.status_code == 302, page_text(saved)[:3000]
    assert drones_claim.attributions.get().quote == "les drones sont arrivés à la fin de 2022"


# The JSON endpoint behind the list under a statement being typed -------------------------------------------


@pytest.mark.django_db
def test_the_similar_endpoint_lists_claims_like_a_typed_statement_without_the_one_being_edited(
    analyst_client, drones_claim
):
    other = ClaimFactory(statement="Drones arrived in Niger in 2023.", original_wording="")
    ClaimFactory(statement="Rejected: drones arrived.", status=Claim.Status.REJECTED)

    listed = analyst_client.get(SIMILAR, {"text": "Turkish drones arrived in Mali"}).json()
    edited = analyst_client.get(SIMILAR, {"text": "Turkish drones arrived in Mali", "exclude": drones_claim.pk}).json()

    assert listed[0] == {
        "id": drones_claim.pk,
        "statement": drones_claim.statement,
        "status": "draft",
        "url": reverse("admin:claims_claim_change", args=[drones_claim.pk]),
    }
    assert [claim["id"] for claim in listed] == [drones_claim.pk, other.pk]  # the rejected claim is not evidence
    assert [claim["id"] for claim in edited] == [other.pk]
    assert analyst_client.get(SIMILAR, {"text": "  "}).json() == []


@pytest.mark.django_db
def test_the_similar_endpoint_is_for_those_who_may_read_claims(client, consumer, drones_claim):
    staff_without_role = UserFactory(username="staff", is_staff=True)

    assert client.get(SIMILAR, {"text": "drones"}).status_code == 302  # to the admin's login
    assert logged_in(consumer).get(SIMILAR, {"text": "drones"}).status_code == 302  # not staff: no admin
    assert logged_in(staff_without_role).get(SIMILAR, {"text": "drones"}).status_code == 403


# 1. the session, 2. the user, 3.-4. the user's own and group permissions (view_claim), 5. the wordings of the
# claims that may be evidence, 6. the entities they concern, with names and aliases, 7. the claims ranked first.
SIMILAR_QUERIES = 7


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [3, 30])
def test_the_similar_endpoint_runs_the_same_queries_for_3_and_30_claims(
    analyst_client, rows, django_assert_max_num_queries
):
    mali = EntityFactory(name="Mali")
    for n in range(rows):
        claim = ClaimFactory(statement=f"Turkish drones number {n} arrived in Mali.")
        claim.entities.add(mali, EntityFactory())

    with django_assert_max_num_queries(SIMILAR_QUERIES):
        listed = analyst_client.get(SIMILAR, {"text": "Turkish drones arrived in Mali"}).json()

    assert len(listed) == min(rows, 5)


# The report page offers it to those who may add claims ----------------------------------------------------


@pytest.mark.django_db
def test_the_report_page_offers_to_attribute_a_passage_only_to_those_who_may_add_claims(analyst):
    report = ReportFactory()
    reader = UserFactory(username="reader", is_staff=True)  # a reviewer who may read and vet, not write claims
    reader.user_permissions.set(
        Permission.objects.filter(codename__in=["view_claim", "vet_claim", "view_report", "view_source"])
    )
    page = reverse("report_detail", args=[report.pk])

    offered = page_text(logged_in(analyst).get(page))
    not_offered = logged_in(reader).get(page)

    assert f'href="{ADD}" data-attribute-passage data-report="{report.pk}"' in offered
    assert not_offered.status_code == 200
    assert "data-attribute-passage" not in page_text(not_offered)
