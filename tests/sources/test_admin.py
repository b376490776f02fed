"""The admin for reports and sources: deleting what evidence points at is refused, and nothing is lost."""

import pytest
from django.urls import reverse

from claims.models import Attribution
from sources.models import Report, Source
from tests.factories import AttributionFactory, ReportFactory, SourceFactory
from tests.helpers import page_text


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Source, Report])
def test_deleting_a_source_or_report_that_evidence_points_at_is_refused_with_a_clear_message(superuser_client, model):
    attribution = AttributionFactory()
    target = attribution.source if model is Source else attribution.report
    delete_url = reverse(f"admin:sources_{model._meta.model_name}_delete", args=[target.pk])

    page = page_text(superuser_client.get(delete_url))
    response = superuser_client.post(delete_url, {"post": "yes"})

    name = model._meta.verbose_name
    assert f"Cannot delete {name}" in page
    assert "would require deleting the following protected related objects" in page
    assert str(attribution)[:40] in page
    assert response.status_code == 200
    assert f"Cannot delete {name}" in page_text(response)
    assert model.objects.filter(pk=target.pk).exists()
    assert Attribution.objects.filter(pk=attribution.pk).exists()


@pytest.mark.django_db
def test_the_bulk_delete_of_sources_deletes_nothing_when_one_carries_evidence(superuser_client):
    attribution = AttributionFactory()
    unused = SourceFactory()

    response = superuser_client.post(
        reverse("admin:sources_source_changelist"),
        {"action": "delete_selected", "_selected_action": [attribution.source_id, unused.pk], "post": "yes"},
    )

    assert "Cannot delete source" in page_text(response)
    assert Source.objects.count() == 2


@pytest.mark.django_db
def test_a_source_without_evidence_can_be_deleted(superuser_client):
    source = SourceFactory()

    response = superuser_client.post(reverse("admin:sources_source_delete", args=[source.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_analysts_and_reviewers_cannot_delete_sources_or_reports(client, analyst, reviewer):
    attribution = AttributionFactory()
    for user in [analyst, reviewer]:
        client.force_login(user)
        for url in [
            reverse("admin:sources_source_delete", args=[attribution.source_id]),
            reverse("admin:sources_report_delete", args=[attribution.report_id]),
        ]:
            assert client.post(url, {"post": "yes"}).status_code == 403
    assert Source.objects.exists()
    assert Report.objects.exists()


@pytest.mark.django_db
def test_the_analyst_can_add_a_report(client, analyst):
    client.force_login(analyst)

    response = client.post(
        reverse("admin:sources_report_add"),
        {
            "title": "Algeria says it shot down a drone",
            "outlet": "Associated Press",
            "published": "2025-04-01",
            "language": "en",
            "kind": Report.Kind.NEWS_ARTICLE,
            "body_kind": Report.BodyKind.ANALYST_EXCERPT,
            "body": "Algeria's army says the drone entered its airspace.",
            "tlp": Report.Tlp.CLEAR,  # the select's default, as a browser sends it
            "attributions-TOTAL_FORMS": "0",
            "attributions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, page_text(response)[:2000]
    report = Report.objects.get()
    assert report.created_by == analyst
    assert report.body_kind == Report.BodyKind.ANALYST_EXCERPT


@pytest.mark.django_db
def test_the_report_list_counts_each_reports_attributions(client, analyst):
    client.force_login(analyst)
    report = ReportFactory()
    AttributionFactory(report=report)
    AttributionFactory(report=report, quote="Ils sont très discrets")
    ReportFactory()

    response = client.get(reverse("admin:sources_report_changelist"))

    counts = {row.pk: row.attribution_count for row in response.context["cl"].result_list}
    assert counts[report.pk] == 2
    assert sorted(counts.values()) == [0, 2]


# The report's change page lists its attributions read-only, from one query -----------------------------

# 1. the session, 2. the user, 3. the report (annotated with its attribution count by `for_admin_list`),
# 4.-5. the user's own and group permissions, 6. the report's content type (for the history and "view on
# site" links; cached after the first request), 7. its attributions in text order with their claims and
# sources (`Attribution.objects.for_report`). No formset: nothing per attribution.
REPORT_CHANGE_PAGE_QUERIES = 7


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_the_report_change_page_runs_the_same_queries_for_1_and_30_attributions(
    client, analyst, rows, django_assert_max_num_queries
):
    client.force_login(analyst)
    report = ReportFactory(body=" ".join(f"Phrase {n} : les drones seraient arrivés." for n in range(rows)))
    for n in reversed(range(rows)):  # entered out of text order
        AttributionFactory(report=report, quote=f"Phrase {n} : les drones")

    with django_assert_max_num_queries(REPORT_CHANGE_PAGE_QUERIES):
        response = client.get(reverse("admin:sources_report_change", args=[report.pk]))

    text = page_text(response)
    positions = [text.index(f"“Phrase {n} : les drones”") for n in range(rows)]
    assert positions == sorted(positions)
    assert not response.context.get("inline_admin_formsets")  # shown, not a formset to validate
