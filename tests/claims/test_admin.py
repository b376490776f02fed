"""The analysts' admin for claims: lists that stay fast, filters, search, bad input refused, deletes guarded."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Attribution, Claim, ClaimRelation, Entity
from sources.models import Report, Source
from tests.adminforms import form_data
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EntityFactory,
    ReportFactory,
    SourceFactory,
)
from tests.helpers import change_url, page_text

CLAIMS = reverse("admin:claims_claim_changelist")


def shown_claims(response) -> set[int]:
    return {claim.pk for claim in response.context["cl"].result_list}


def add_inline_form(data: dict, prefix: str, **fields) -> None:
    """Add one new form to the inline formset `prefix`, as the "Add another" link does."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": str(value) for name, value in fields.items()})


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def claims_with_evidence(count: int, *, attributions: int = 3) -> list[Claim]:
    """`count` claims, each with `attributions` attributions from distinct sources, over two reports."""
    reports = [ReportFactory(), ReportFactory()]
    sources = [SourceFactory(reliability=grade) for grade in "ABC"[:attributions]]
    entity = EntityFactory()
    claims = []
    for n in range(count):
        claim = ClaimFactory()
        claim.entities.add(entity)
        for i in range(attributions):
            AttributionFactory(claim=claim, report=reports[(n + i) % 2], source=sources[i], credibility=i + 1)
        claims.append(claim)
    if count > 1:
        ClaimRelationFactory(from_claim=claims[0], to_claim=claims[1])
    return claims


# The analyst can reach every screen ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:claims_claim_changelist",
        "admin:claims_claim_add",
        "admin:sources_report_changelist",
        "admin:sources_report_add",
        "admin:sources_source_changelist",
        "admin:claims_entity_changelist",
        "admin:claims_attribution_changelist",
        "admin:claims_claimrelation_changelist",
    ],
)
def test_the_analyst_can_open_the_lists_and_add_forms(analyst_client, url_name):
    claims_with_evidence(2)

    assert analyst_client.get(reverse(url_name)).status_code == 200


@pytest.mark.django_db
def test_the_analyst_can_open_a_claim_with_its_evidence_and_relations(analyst_client):
    claim = claims_with_evidence(2)[0]

    response = analyst_client.get(change_url(claim))

    assert response.status_code == 200
    text = page_text(response)
    assert "les drones sont arrivés à la fin de 2022" in text
    assert "Relations to other claims" in text


@pytest.mark.django_db
def test_the_analyst_can_open_a_report_a_source_and_an_entity(analyst_client):
    claims_with_evidence(1)

    for url in [
        reverse("admin:sources_report_change", args=[Report.objects.first().pk]),
        reverse("admin:sources_source_change", args=[Source.objects.first().pk]),
        reverse("admin:claims_entity_change", args=[Entity.objects.first().pk]),
    ]:
        assert analyst_client.get(url).status_code == 200, url


# Changelists: the query count does not grow with the rows -------------------------------------------

# Every changelist starts with the same four queries: 1. the session, 2. the user, 3.-4. the user's own and
# group permissions (for the actions and the "add" button). Then, whatever the number of rows:
# claims: 5. the reports offered by the "report" filter (RelatedOnlyFieldListFilter), 6. the count of claims
# shown, 7. the count of all claims, 8. the page of claims annotated with their supports/contradicts counts,
# 9. their attributions with their sources (one prefetch, for the grades column).
CLAIM_CHANGELIST_QUERIES = 9


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_the_claim_changelist_runs_the_same_queries_for_1_and_30_claims(
    analyst_client, rows, django_assert_max_num_queries
):
    claims_with_evidence(rows)

    with django_assert_max_num_queries(CLAIM_CHANGELIST_QUERIES):
        response = analyst_client.get(CLAIMS)

    assert response.context["cl"].result_count == rows


# sources: 5.-6. the two counts, 7. the page of sources, 8.-9. their track records (the sources in a
# same_as/member_of chain, the claims their speakers supported), 10. the distinct sides offered by the
# "side / region" filter.
SOURCE_CHANGELIST_QUERIES = 10


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_the_source_changelist_runs_the_same_queries_for_1_and_30_sources(
    analyst_client, rows, django_assert_max_num_queries
):
    report = ReportFactory()
    for n in range(rows):
        source = SourceFactory(side=f"side {n}")
        AttributionFactory(source=source, report=report)
        AttributionFactory(source=source, report=report, stance=Attribution.Stance.CONTRADICTS)

    with django_assert_max_num_queries(SOURCE_CHANGELIST_QUERIES):
        response = analyst_client.get(reverse("admin:sources_source_changelist"))

    assert response.context["cl"].result_count == rows


# reports: 5.-6. the two counts, 7. the page of reports annotated with their attribution counts,
# 8.-9. the first and last dates, then the dates, of the date hierarchy, 10.-11. the languages and outlets filters.
REPORT_CHANGELIST_QUERIES = 11


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_the_report_changelist_runs_the_same_queries_for_1_and_30_reports(
    analyst_client, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        report = ReportFactory()
        AttributionFactory(report=report)
        AttributionFactory(report=report)

    with django_assert_max_num_queries(REPORT_CHANGELIST_QUERIES):
        response = analyst_client.get(reverse("admin:sources_report_changelist"))

    assert response.context["cl"].result_count == rows


# entities: 5.-6. the two counts, 7. the page of entities annotated with their claim counts.
ENTITY_CHANGELIST_QUERIES = 7


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_the_entity_changelist_runs_the_same_queries_for_1_and_30_entities(
    analyst_client, rows, django_assert_max_num_queries
):
    claim = ClaimFactory()
    for _ in range(rows):
        claim.entities.add(EntityFactory())

    with django_assert_max_num_queries(ENTITY_CHANGELIST_QUERIES):
        response = analyst_client.get(reverse("admin:claims_entity_changelist"))

    assert response.context["cl"].result_count == rows


# Filters and search ----------------------------------------------------------------------------------


@pytest.fixture
def two_kinds_of_evidence():
    """A vetted, highly confident event from an A2 officer, and a draft estimate from an F5 group, in two reports."""
    officer = SourceFactory(label="un officier malien", kind=Source.Kind.ANONYMOUS_INDIVIDUAL, reliability="A")
    group = SourceFactory(label="des estimations occidentales", kind=Source.Kind.ESTIMATE, reliability="F")
    event = ClaimFactory(
        statement="TB2 drones arrived at the end of 2022.",
        kind=Claim.Kind.EVENT,
        status=Claim.Status.VETTED,
        confidence=Claim.Confidence.HIGH,
    )
    estimate = ClaimFactory(
        statement="About 2,000 Africa Corps members are in Mali.",
        kind=Claim.Kind.QUANTITY,
        status=Claim.Status.DRAFT,
        confidence=Claim.Confidence.LOW,
    )
    AttributionFactory(claim=event, source=officer, credibility=2)
    AttributionFactory(claim=estimate, source=group, credibility=5, quote="Environ 2 000 membres d'Africa Corps")
    return event, estimate


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status__exact=vetted", "event"),
        ("status__exact=draft", "estimate"),
        ("kind__exact=quantity", "estimate"),
        ("attributions__source__kind__exact=anonymous_individual", "event"),
        ("attributions__source__kind__exact=estimate", "estimate"),
        ("attributions__source__reliability__exact=A", "event"),
        ("attributions__source__reliability__exact=F", "estimate"),
        ("attributions__credibility__exact=2", "event"),
        ("attributions__credibility__exact=5", "estimate"),
        ("confidence__exact=high", "event"),
        ("confidence__exact=low", "estimate"),
        ("q=TB2", "event"),
        ("q=Environ+2+000", "estimate"),
        ("q=officier+malien", "event"),
    ],
)
def test_claim_list_filters_and_search_narrow_the_list(analyst_client, two_kinds_of_evidence, query, expected):
    event, estimate = two_kinds_of_evidence

    response = analyst_client.get(f"{CLAIMS}?{query}")

    assert response.status_code == 200
    assert shown_claims(response) == {{"event": event, "estimate": estimate}[expected].pk}


@pytest.mark.django_db
def test_the_report_filter_shows_the_claims_a_report_carries(analyst_client, two_kinds_of_evidence):
    event, _estimate = two_kinds_of_evidence
    report = event.attributions.get().report

    response = analyst_client.get(f"{CLAIMS}?attributions__report__id__exact={report.pk}")

    assert response.status_code == 200
    assert shown_claims(response) == {event.pk}
    assert report.title in page_text(response)


@pytest.mark.django_db
def test_a_claim_matching_a_filter_through_several_attributions_is_listed_once_with_its_true_counts(analyst_client):
    claim = ClaimFactory()
    officer = SourceFactory(reliability="C")
    for _ in range(3):
        AttributionFactory(claim=claim, source=officer)
    AttributionFactory(claim=claim, source=officer, stance=Attribution.Stance.CONTRADICTS)

    response = analyst_client.get(f"{CLAIMS}?attributions__source__reliability__exact=C&q=drones")

    rows = list(response.context["cl"].result_list)
    assert [row.pk for row in rows] == [claim.pk]
    assert (rows[0].supports_count, rows[0].contradicts_count) == (3, 1)


@pytest.mark.django_db
def test_the_claim_list_shows_each_claims_grades(analyst_client):
    claim = ClaimFactory()
    AttributionFactory(claim=claim, source=SourceFactory(reliability="F"), credibility=3)
    AttributionFactory(claim=claim, source=SourceFactory(reliability="B"), credibility=2)

    response = analyst_client.get(CLAIMS)

    assert '<td class="field-grades">B2, F3</td>' in response.content.decode()


@pytest.mark.django_db
def test_the_source_list_shows_what_came_of_the_claims_each_source_supported(analyst_client):
    # The rule (stand, failed, open; relays; same speaker) is tested in tests/claims/test_track_record.py.
    source = SourceFactory(label="un haut gradé malien")
    quiet = SourceFactory(label="une source muette")
    first, second, third = ClaimFactory(), ClaimFactory(), ClaimFactory()
    AttributionFactory(claim=first, source=source)
    AttributionFactory(claim=first, source=source, quote="Ils sont très discrets")  # same claim: counted once
    AttributionFactory(claim=second, source=source)
    AttributionFactory(claim=third, source=source, stance=Attribution.Stance.CONTRADICTS)
    services.claims_reweigh([first.pk, second.pk, third.pk])

    response = analyst_client.get(reverse("admin:sources_source_changelist"))

    rows = {row.label: row.track_record for row in response.context["cl"].result_list}
    assert (rows[source.label].stand, rows[source.label].failed, rows[source.label].open) == (0, 0, 2)
    assert (rows[quiet.label].stand, rows[quiet.label].failed, rows[quiet.label].open) == (0, 0, 0)
    assert '<td class="field-supported_claims">0 stand · 0 failed · 2 open</td>' in response.content.decode()


@pytest.mark.django_db
def test_the_report_page_lists_its_attributions_in_the_order_of_the_text(analyst_client):
    report = ReportFactory()
    quotes = ["Plusieurs observateurs", "Environ 2 000 membres", "Ils sont très discrets", "les drones sont arrivés"]
    for quote in quotes:  # entered out of text order
        AttributionFactory(report=report, quote=quote)

    response = analyst_client.get(reverse("admin:sources_report_change", args=[report.pk]))

    text = page_text(response)
    positions = [text.index(quote) for quote in ["les drones sont arrivés", "Ils sont très discrets", "Environ 2"]]
    assert positions == sorted(positions)
    assert text.index("Environ 2") < text.index("Plusieurs observateurs", text.index("Attributions, in text order"))
    assert "F3" in text


# Bad input in the claim form: a clear message, nothing written ---------------------------------------


def snapshot(claim):
    """Everything the claim form can write."""
    return (
        Claim.objects.filter(pk=claim.pk).values().get(),
        list(Attribution.objects.order_by("pk").values()),
        list(ClaimRelation.objects.order_by("pk").values()),
        claim.history.count(),
    )


def post_change(client, claim, edit):
    data = form_data(client.get(change_url(claim)))
    data["statement"] = "Changed alongside the bad input: must not be saved either."
    edit(data)
    return client.post(change_url(claim), data)


@pytest.mark.django_db
def test_the_unchanged_claim_form_saves(analyst_client, claim_on_file):
    data = form_data(analyst_client.get(change_url(claim_on_file)))
    data["statement"] = "TB2 drones arrived in Mali at the end of 2022."

    response = analyst_client.post(change_url(claim_on_file), data)

    assert response.status_code == 302
    claim_on_file.refresh_from_db()
    assert claim_on_file.statement == "TB2 drones arrived in Mali at the end of 2022."


@pytest.mark.django_db
def test_a_new_attribution_whose_quote_is_not_in_the_report_is_refused_and_nothing_is_written(
    analyst_client, claim_on_file
):
    attribution = claim_on_file.attributions.get()
    before = snapshot(claim_on_file)

    response = post_change(
        analyst_client,
        claim_on_file,
        lambda data: add_inline_form(
            data,
            "attributions",
            report=attribution.report_id,
            source=attribution.source_id,
            quote="les drones sont arrivés en 2019",
            mode=Attribution.Mode.PARAPHRASE,
            stance=Attribution.Stance.SUPPORTS,
            credibility=3,
        ),
    )

    assert response.status_code == 200
    text = page_text(response)
    assert "The quote does not occur in the report's text." in text
    assert f"Report: “{attribution.report.title}”" in text
    assert snapshot(claim_on_file) == before


@pytest.mark.django_db
def test_an_edited_quote_is_located_afresh_without_the_analyst_touching_the_offsets(analyst_client, claim_on_file):
    attribution = claim_on_file.attributions.get()
    data = form_data(analyst_client.get(change_url(claim_on_file)))
    data["attributions-0-quote"] = "affirme une source"  # offsets still those of the old quote

    response = analyst_client.post(change_url(claim_on_file), data)

    assert response.status_code == 302
    attribution.refresh_from_db()
    assert attribution.report.body[attribution.start : attribution.end] == "affirme une source"


@pytest.mark.django_db
def test_an_edited_quote_that_is_not_in_the_report_is_refused_and_nothing_is_written(analyst_client, claim_on_file):
    before = snapshot(claim_on_file)

    def edit(data):
        data["attributions-0-quote"] = "les drones ne sont jamais arrivés"
        data.pop("attributions-0-start"), data.pop("attributions-0-end")

    response = post_change(analyst_client, claim_on_file, edit)

    assert response.status_code == 200
    assert "does not occur in the report's text" in page_text(response)
    assert snapshot(claim_on_file) == before


@pytest.mark.django_db
def test_a_credibility_of_9_is_refused_and_nothing_is_written(analyst_client, claim_on_file):
    before = snapshot(claim_on_file)

    response = post_change(analyst_client, claim_on_file, lambda data: data.update({"attributions-0-credibility": "9"}))

    assert response.status_code == 200
    assert "Select a valid choice. 9 is not one of the available choices." in page_text(response)
    assert snapshot(claim_on_file) == before


@pytest.mark.django_db
def test_a_relation_of_a_claim_to_itself_is_refused_and_nothing_is_written(analyst_client, claim_on_file):
    before = snapshot(claim_on_file)

    response = post_change(
        analyst_client,
        claim_on_file,
        lambda data: add_inline_form(
            data, "outgoing_relations", kind=ClaimRelation.Kind.CONTRADICTS, to_claim=claim_on_file.pk
        ),
    )

    assert response.status_code == 200
    assert "A claim cannot be related to itself." in page_text(response)
    assert snapshot(claim_on_file) == before


@pytest.mark.django_db
def test_a_second_relation_to_the_same_claim_is_refused_and_nothing_is_written(analyst_client, claim_on_file):
    ClaimRelationFactory(from_claim=claim_on_file)
    other = ClaimRelation.objects.get().to_claim
    before = snapshot(claim_on_file)

    response = post_change(
        analyst_client,
        claim_on_file,
        lambda data: add_inline_form(data, "outgoing_relations", kind=ClaimRelation.Kind.REFINES, to_claim=other.pk),
    )

    assert response.status_code == 200
    assert "already related" in page_text(response) or "Please correct the duplicate" in page_text(response)
    assert snapshot(claim_on_file) == before


@pytest.mark.django_db
def test_a_new_claim_with_a_quote_typed_plainly_is_saved_anchored(analyst_client):
    report, source = ReportFactory(), SourceFactory()
    data = form_data(analyst_client.get(reverse("admin:claims_claim_add")))
    data["statement"] = "Some 2,000 Africa Corps members are in Mali."
    data["kind"] = Claim.Kind.QUANTITY
    add_inline_form(
        data,
        "attributions",
        report=report.pk,
        source=source.pk,
        quote="Environ 2 000 membres d'Africa Corps seraient présents",
        mode=Attribution.Mode.PARAPHRASE,
        stance=Attribution.Stance.SUPPORTS,
        credibility=3,
        hedged="on",
    )

    response = analyst_client.post(reverse("admin:claims_claim_add"), data)

    assert response.status_code == 302, page_text(response)[:3000]
    attribution = Attribution.objects.get()
    assert attribution.quote == "Environ 2\u00a0000 membres d\u2019Africa Corps seraient présents"
    assert report.body[attribution.start : attribution.end] == attribution.quote
    assert attribution.claim.created_by.username == "ana"


# Deletes that would lose evidence are refused ----------------------------------------------------------


@pytest.mark.django_db
def test_a_vetted_claim_cannot_be_deleted_from_the_admin(analyst_client):
    claim = ClaimFactory(status=Claim.Status.VETTED)
    delete_url = reverse("admin:claims_claim_delete", args=[claim.pk])

    assert analyst_client.get(delete_url).status_code == 403
    assert analyst_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert f'href="{delete_url}"' not in analyst_client.get(change_url(claim)).content.decode()
    assert Claim.objects.filter(pk=claim.pk).exists()


@pytest.mark.django_db
def test_the_bulk_delete_action_deletes_nothing_when_a_vetted_claim_is_selected(analyst_client):
    vetted = ClaimFactory(status=Claim.Status.VETTED)
    draft = ClaimFactory()

    analyst_client.post(CLAIMS, {"action": "delete_selected", "_selected_action": [vetted.pk, draft.pk], "post": "yes"})

    assert Claim.objects.count() == 2


@pytest.mark.django_db
def test_the_bulk_delete_action_deletes_draft_claims_with_their_evidence(analyst_client):
    drafts = [ClaimFactory(), ClaimFactory(status=Claim.Status.REJECTED)]
    for claim in drafts:
        AttributionFactory(claim=claim)

    analyst_client.post(
        CLAIMS, {"action": "delete_selected", "_selected_action": [c.pk for c in drafts], "post": "yes"}
    )

    assert not Claim.objects.exists()
    assert not Attribution.objects.exists()


@pytest.mark.django_db
def test_a_draft_claim_can_be_deleted_by_its_analyst(analyst_client):
    claim = ClaimFactory()
    AttributionFactory(claim=claim)

    response = analyst_client.post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Claim.objects.exists()
    assert not Attribution.objects.exists()


@pytest.mark.django_db
def test_a_claim_that_another_claim_relates_to_cannot_be_deleted_from_the_admin(superuser_client):
    relation = ClaimRelationFactory()
    delete_url = reverse("admin:claims_claim_delete", args=[relation.to_claim.pk])

    page = page_text(superuser_client.get(delete_url))
    response = superuser_client.post(delete_url, {"post": "yes"})

    assert "Cannot delete claim" in page
    assert "would require deleting the following protected related objects" in page
    assert f"#{relation.from_claim.pk} contradicts #{relation.to_claim.pk}" in page
    assert response.status_code == 200
    assert Claim.objects.count() == 2
    assert ClaimRelation.objects.count() == 1


@pytest.mark.django_db
def test_the_claim_list_filters_are_titled_so_claim_kind_and_source_kind_differ(analyst_client):
    AttributionFactory(), AttributionFactory()  # the report filter shows when two reports carry claims
    page = page_text(analyst_client.get(CLAIMS))

    for title in ["status", "kind", "source kind", "source reliability", "credibility", "confidence", "report"]:
        assert f"By {title}" in page


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_a_claims_change_page_runs_the_same_queries_for_3_and_30_attributions(
    analyst_client, count, django_assert_max_num_queries
):
    claim = ClaimFactory()
    attributions = AttributionFactory.create_batch(count, claim=claim)
    ClaimRelationFactory.create_batch(3, from_claim=claim)
    # session, user, the claim (the changelist's recipe, with counts), its attributions with sources (the same
    # recipe's prefetch), user permissions, group permissions, its entities (the entities box), its review steps,
    # the inline's attributions with source and report, its relations with their claims, whether it was ever
    # vetted (may it be deleted), the content type for the history link: no query per row
    with django_assert_max_num_queries(12):
        response = analyst_client.get(change_url(claim))

    page = page_text(response)
    for attribution in attributions[:3]:  # each box shows its selected source and report, without a query each
        assert f'<option value="{attribution.source_id}" selected>{attribution.source}</option>' in page
        assert f'<option value="{attribution.report_id}" selected>{attribution.report}</option>' in page
