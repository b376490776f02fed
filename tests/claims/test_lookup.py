"""The filters' entity and report choices (issue 14): the pages list only the rows chosen, and a lookup finds
the others by the words typed. At 10,000 reports, listing them all made the claims page a megabyte of
`<option>`s that took seconds to render."""

import re

import pytest

from tests.factories import AttributionFactory, ClaimFactory, EntityFactory, ReportFactory
from tests.helpers import logged_in, page_text


def options(response, name: str) -> list[str]:
    """The values of the `<option>`s of the select named `name`."""
    select = re.search(rf'<select name="{name}".*?</select>', response.content.decode(), re.S)
    assert select, f"no select named {name}"
    return re.findall(r'<option value="([^"]*)"', select.group(0))


def test_the_claims_filter_lists_only_the_chosen_entity_and_report(reviewer_client, db):
    entities = [EntityFactory(name=f"Entity {n}") for n in range(30)]
    reports = [ReportFactory(title=f"Report {n}") for n in range(30)]

    unfiltered = reviewer_client.get("/claims/")
    chosen = reviewer_client.get(f"/claims/?entity={entities[3].pk}&entity={entities[7].pk}&report={reports[5].pk}")

    assert options(unfiltered, "entity") == []
    assert options(unfiltered, "report") == [""]
    assert options(chosen, "entity") == [str(entities[3].pk), str(entities[7].pk)]
    assert options(chosen, "report") == ["", str(reports[5].pk)]
    assert f'value="{entities[3].pk}" selected' in chosen.content.decode()
    assert 'data-lookup="/lookup/entities/"' in chosen.content.decode()


def test_the_graph_filter_lists_only_the_chosen_entities(reviewer_client, db):
    entities = [EntityFactory(name=f"Entity {n}") for n in range(5)]

    response = reviewer_client.get(f"/graph/?entity={entities[1].pk}")

    assert options(response, "entity") == [str(entities[1].pk)]


def test_an_id_too_large_for_the_database_is_refused_not_a_server_error(reviewer_client, db):
    response = reviewer_client.get("/claims/?entity=99999999999999999999")

    assert response.status_code == 200
    assert "“99999999999999999999” is not a valid value." in page_text(response)


def test_the_entity_lookup_finds_by_the_words_typed_whatever_their_accents(reviewer_client, db):
    goita = EntityFactory(name="Assimi Goïta")
    EntityFactory(name="Sadio Camara")

    found = reviewer_client.get("/lookup/entities/?q=goita").json()
    by_alias_start = reviewer_client.get("/lookup/entities/?q=ASSI").json()

    assert found == {"results": [{"id": goita.pk, "text": "Assimi Goïta"}], "more": False}
    assert [row["id"] for row in by_alias_start["results"]] == [goita.pk]


def test_the_report_lookup_finds_by_title_or_outlet_newest_first(reviewer_client, db):
    older = ReportFactory(title="La junte et Ankara", outlet="Le Monde", published="2024-03-01")
    newer = ReportFactory(title="Drones turcs au Sahel", outlet="Le Monde", published="2025-03-01")
    ReportFactory(title="Unrelated", outlet="RFI")

    by_outlet = reviewer_client.get("/lookup/reports/?q=le+monde").json()
    by_title = reviewer_client.get("/lookup/reports/?q=drones").json()

    assert [row["id"] for row in by_outlet["results"]] == [newer.pk, older.pk]
    assert [row["id"] for row in by_title["results"]] == [newer.pk]
    assert by_title["results"][0]["text"] == str(newer)


def test_the_lookup_answers_a_page_and_says_when_there_are_more(reviewer_client, db, django_assert_max_num_queries):
    for n in range(25):
        EntityFactory(name=f"Kidal {n}")

    # session, user, the user's two permission queries, the page of rows
    with django_assert_max_num_queries(5):
        answer = reviewer_client.get("/lookup/entities/?q=kidal").json()

    assert len(answer["results"]) == 20
    assert answer["more"] is True


def test_the_lookup_is_for_those_who_read_the_pages(client, consumer, db):
    ReportFactory(title="Secret")
    AttributionFactory(claim=ClaimFactory(), report=ReportFactory())

    anonymous = client.get("/lookup/reports/?q=secret")
    as_consumer = logged_in(consumer).get("/lookup/reports/?q=secret")

    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert as_consumer.status_code == 403


@pytest.mark.parametrize(("q", "found"), [("", ["Mali"]), ("   ", ["Mali"]), ("!!", [])])
def test_a_blank_lookup_lists_the_first_rows_and_punctuation_finds_nothing(reviewer_client, db, q, found):
    EntityFactory(name="Mali")

    answer = reviewer_client.get("/lookup/entities/", {"q": q})

    assert [row["text"] for row in answer.json()["results"]] == found
