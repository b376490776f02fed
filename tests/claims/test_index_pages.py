"""/reports/ and /entities/ (issue 13): paginated, filterable, sortable, constant queries; and page numbers
that are out of range show the nearest page instead of a 404 (defect 11)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from claims.models import Entity
from tests.factories import AttributionFactory, ClaimFactory, EntityFactory, ReportFactory
from tests.helpers import page_text


def reports(count: int) -> list:
    return [
        ReportFactory(
            title=f"Report {n:02d}",
            outlet="Le Monde" if n % 2 else "RFI",
            published=date(2025, 1, 1) + timedelta(days=n),
        )
        for n in range(count)
    ]


def listed(response) -> list:
    return list(response.context["object_list"])


@pytest.mark.parametrize("count", [1, 30])
def test_the_reports_index_runs_the_same_queries_whatever_its_length(
    reviewer_client, count, django_assert_max_num_queries
):
    for report in reports(count):
        AttributionFactory(report=report, claim=ClaimFactory())

    with django_assert_max_num_queries(6):
        response = reviewer_client.get("/reports/")

    assert response.status_code == 200
    assert response.context["paginator"].count == count
    assert all(report.attribution_count == 1 for report in listed(response))


def test_the_reports_index_is_newest_first_and_paginated(reviewer_client, db):
    reports(30)

    first = reviewer_client.get("/reports/")
    second = reviewer_client.get("/reports/?page=2")

    assert [report.title for report in listed(first)][:2] == ["Report 29", "Report 28"]
    assert len(listed(first)) == 25 and len(listed(second)) == 5


def test_the_reports_index_filters_and_sorts(reviewer_client, db):
    reports(6)

    by_outlet = reviewer_client.get("/reports/?outlet=rfi&sort=title")
    by_words = reviewer_client.get("/reports/?q=report+03")

    assert [report.title for report in listed(by_outlet)] == ["Report 00", "Report 02", "Report 04"]
    assert [report.title for report in listed(by_words)] == ["Report 03"]


def test_a_bad_filter_value_says_which_field(reviewer_client, db):
    response = reviewer_client.get("/reports/?published_after=yesterday")

    assert "correct the filter" in page_text(response)
    assert response.context["filter"].errors


def test_the_entities_index_sorts_by_claim_count(reviewer_client, db):
    busy, quiet = EntityFactory(name="Wagner"), EntityFactory(name="Akinci", aliases="Akıncı")
    for _ in range(3):
        ClaimFactory().entities.add(busy)
    ClaimFactory().entities.add(quiet)

    response = reviewer_client.get("/entities/?sort=-claims")

    assert [(entity.name, entity.claim_count) for entity in listed(response)] == [("Wagner", 3), ("Akinci", 1)]
    assert "Akıncı" in page_text(response)


def test_the_entities_index_filters_by_kind(reviewer_client, db):
    EntityFactory(name="Bamako", kind=Entity.Kind.PLACE)
    EntityFactory(name="Goïta", kind=Entity.Kind.PERSON)

    response = reviewer_client.get(f"/entities/?kind={Entity.Kind.PLACE}")

    assert [entity.name for entity in listed(response)] == ["Bamako"]


@pytest.mark.parametrize("count", [1, 30])
def test_the_entities_index_runs_the_same_queries_whatever_its_length(
    reviewer_client, count, django_assert_max_num_queries
):
    for n in range(count):
        ClaimFactory().entities.add(EntityFactory(name=f"Entity {n}"))

    with django_assert_max_num_queries(6):
        response = reviewer_client.get("/entities/")

    assert response.context["paginator"].count == count


@pytest.mark.parametrize("url", ["/claims/?page=99", "/reports/?page=99", "/entities/?page=99"])
def test_a_page_past_the_end_shows_the_last_page_and_says_so(reviewer_client, db, url):
    reports(2)
    ClaimFactory().entities.add(EntityFactory())

    response = reviewer_client.get(url)

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert "There is no page “99”: this is page 1 of 1." in page_text(response)


@pytest.mark.parametrize("url", ["/claims/?page=abc", "/reports/?page=abc"])
def test_a_page_that_is_not_a_number_shows_the_first(reviewer_client, db, url):
    reports(30)
    ClaimFactory()

    response = reviewer_client.get(url)

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert "There is no page “abc”" in page_text(response)


@pytest.mark.parametrize("url", ["/reports/", "/entities/"])
def test_the_index_pages_are_for_analysts_and_reviewers(client, consumer, url):
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(consumer)
    assert client.get(url).status_code == 403


def test_the_sources_page_is_paginated_by_kind_and_label(reviewer_client, db):
    from tests.factories import SourceFactory

    for n in range(105):
        SourceFactory(label=f"Source {n:03d}")

    first, second = reviewer_client.get("/sources/"), reviewer_client.get("/sources/?page=2")

    assert len(first.context["sources"]) == 100 and len(second.context["sources"]) == 5
    assert "Page 2 of 2" in page_text(second)


def test_long_entity_and_source_pages_are_paginated(reviewer_client, db):
    from tests.factories import SourceFactory

    entity, source = EntityFactory(name="Mali"), SourceFactory(label="un officier malien")
    report = ReportFactory(body=" ".join(f"Phrase {n} : les drones." for n in range(55)))
    for n in range(55):
        claim = ClaimFactory(statement=f"Claim {n} about Mali.")
        claim.entities.add(entity)
        AttributionFactory(claim=claim, source=source, report=report, quote=f"Phrase {n} : les drones")

    entity_pages = [reviewer_client.get(f"/entities/{entity.pk}/?page={n}") for n in (1, 2)]
    source_pages = [reviewer_client.get(f"/sources/{source.pk}/?page={n}") for n in (1, 2)]

    assert [len(page.context["claims"]) for page in entity_pages] == [50, 5]
    assert [len(page.context["attributions"]) for page in source_pages] == [50, 5]
    assert "Page 2 of 2" in page_text(source_pages[1])
