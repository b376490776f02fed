"""The claims list and the annotated report are rendered once per data version (`claims.pagecache`, issue 14):
a repeat visit reads the version and the cache instead of the rows, and any write, by anyone, shows at once."""

import pickle

import pytest
from django.core.cache import cache

from claims.pagecache import data_version
from tests.factories import AttributionFactory, ClaimFactory, EntityFactory, ReportFactory
from tests.helpers import logged_in, page_text


def main_content(response) -> str:
    """The page's `<main>`: what is cached (the menu around it, with its CSRF token, is rendered each time)."""
    text = page_text(response)
    return text[text.index("<main") : text.index("</main>")]


@pytest.fixture
def report_with_claims(db):
    report = ReportFactory(body="Le ministre affirme que la route est ouverte. Un officier dément.")
    claims = [ClaimFactory(statement=f"Claim number {n}") for n in range(3)]
    for claim in claims:
        AttributionFactory(claim=claim, report=report, quote="la route est ouverte")
    return report


def test_a_second_visit_to_the_claims_list_reads_no_rows(
    reviewer_client, report_with_claims, django_assert_num_queries
):
    first = reviewer_client.get("/claims/")

    # session, user, the user's two permission queries, the data's version: no count, no page, no evidence
    with django_assert_num_queries(5):
        second = reviewer_client.get("/claims/")

    assert second.status_code == 200
    assert "Claim number 2" in main_content(second)
    assert main_content(second) == main_content(first)


def test_a_write_shows_at_once_on_the_cached_pages(reviewer_client, report_with_claims):
    claim = ClaimFactory(statement="Before the change")
    AttributionFactory(claim=claim, report=report_with_claims, quote="Un officier dément")
    assert "Before the change" in page_text(reviewer_client.get("/claims/"))
    assert "Before the change" in page_text(reviewer_client.get(f"/reports/{report_with_claims.pk}/"))
    before = data_version()

    claim.statement = "After the change"
    claim.save()

    assert data_version() != before
    assert "After the change" in page_text(reviewer_client.get("/claims/"))
    assert "After the change" in page_text(reviewer_client.get(f"/reports/{report_with_claims.pk}/"))


def test_renaming_an_entity_or_a_source_shows_on_the_cached_pages(reviewer_client, report_with_claims):
    attribution = report_with_claims.attributions.first()
    entity = EntityFactory(name="Kidal")
    attribution.claim.entities.add(entity)
    reviewer_client.get("/claims/"), reviewer_client.get(f"/reports/{report_with_claims.pk}/")

    entity.name = "Kidal region"
    entity.save()
    attribution.source.label = "A renamed source"
    attribution.source.save()

    assert "Kidal region" in page_text(reviewer_client.get("/claims/"))
    assert "A renamed source" in page_text(reviewer_client.get(f"/reports/{report_with_claims.pk}/"))


def test_no_reader_is_shown_a_page_cached_for_another(client, analyst, reviewer, report_with_claims):
    """A staff analyst may attribute a passage and edit the report in the admin; a reviewer without the
    admin's door (not staff) may not. Whoever comes first, the other gets their own page, and a change of
    the same reader's rights shows at once."""
    path = f"/reports/{report_with_claims.pk}/"
    reviewer.is_staff = False
    reviewer.save()

    as_analyst = logged_in(analyst).get(path)
    as_reviewer = logged_in(reviewer).get(path)
    again_as_analyst = logged_in(analyst).get(path)
    analyst.is_staff = False
    analyst.save()
    as_analyst_without_the_admin = logged_in(analyst).get(path)

    assert "Attribute this passage" in as_analyst.content.decode()
    assert "Attribute this passage" not in as_reviewer.content.decode()
    assert "Attribute this passage" in again_as_analyst.content.decode()
    assert "Attribute this passage" not in as_analyst_without_the_admin.content.decode()


def test_each_language_has_its_own_cached_page(reviewer_client, report_with_claims):
    english = reviewer_client.get("/claims/", HTTP_ACCEPT_LANGUAGE="en")
    french = reviewer_client.get("/claims/", HTTP_ACCEPT_LANGUAGE="fr")

    assert "Filter" in page_text(english) and "Filtrer" not in page_text(english)
    assert "Filtrer" in page_text(french)


def test_a_page_number_out_of_range_keeps_its_note_on_every_visit(reviewer_client, report_with_claims):
    for _ in range(2):
        response = reviewer_client.get("/claims/?page=99")

        assert "There is no page “99”: this is page 1 of 1." in page_text(response)


def test_a_filtered_list_is_cached_apart_from_the_unfiltered_one(reviewer_client, report_with_claims):
    ClaimFactory(statement="Drones were seen over Kidal")
    reviewer_client.get("/claims/")

    filtered = reviewer_client.get("/claims/?q=kidal")

    assert "Drones were seen over Kidal" in page_text(filtered)
    assert "Claim number 2" not in page_text(filtered)


def test_the_cache_holds_rendered_content_not_the_readers_header(reviewer_client, report_with_claims):
    """The menu (who is logged in, the log-out form's CSRF token) is rendered for each request."""
    reviewer_client.get("/claims/")
    cached = [pickle.loads(value) for value in cache._cache.values()]  # the tests' locmem cache keeps pickles
    pages = [value for value in cached if isinstance(value, str) and "Claim number 0" in value]

    assert pages, "the claims list's content was not cached"
    assert all('class="whoami"' not in page and "csrfmiddlewaretoken" not in page for page in pages)


def test_the_graph_data_is_drawn_once_per_version(reviewer_client, report_with_claims, django_assert_num_queries):
    first = reviewer_client.get("/graph/data/").json()

    # session, user, the user's two permission queries, the data's version
    with django_assert_num_queries(5):
        again = reviewer_client.get("/graph/data/").json()
    AttributionFactory(claim=ClaimFactory(), report=report_with_claims, quote="Un officier dément")
    after_a_write = reviewer_client.get("/graph/data/").json()

    assert again == first
    assert after_a_write["counts"]["claims"] == first["counts"]["claims"] + 1
    assert reviewer_client.get("/graph/data/?depth=x").status_code == 400
