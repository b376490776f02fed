"""Cursor pagination across inserts, the page size bound, and the CSV export."""

import csv
import html as html_lib
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from claims.api.pagination import ClaimCursorPagination
from claims.exports.csv import HEADER
from claims.models import Claim
from tests.factories import AttributionFactory, ClaimFactory, EntityFactory, SourceFactory

VETTED = Claim.Status.VETTED


def walk(client, params):
    """Follow `next` links from the first page; the callback may insert claims between pages."""
    response = client.get("/api/v1/claims/", params)
    pages = [response.json()]
    while pages[-1]["next"]:
        yield [c["id"] for c in pages[-1]["results"]]
        pages.append(client.get(pages[-1]["next"]).json())
    yield [c["id"] for c in pages[-1]["results"]]


def test_walking_newest_first_while_claims_are_added_neither_repeats_nor_skips(consumer_client, db):
    existing = [ClaimFactory(status=VETTED).pk for _ in range(5)]
    seen = []

    for page in walk(consumer_client, {"page_size": 2}):
        seen += page
        ClaimFactory(status=VETTED)  # newer than the cursor: lands before it

    assert seen == existing[::-1]


def test_walking_oldest_first_while_claims_are_added_reaches_the_new_ones(consumer_client, db):
    existing = [ClaimFactory(status=VETTED).pk for _ in range(4)]
    added = []
    seen = []

    for page in walk(consumer_client, {"page_size": 2, "ordering": "id"}):
        seen += page
        if len(added) < 2:
            added.append(ClaimFactory(status=VETTED).pk)

    assert seen == existing + added


def test_walking_by_creation_time_while_claims_are_added_neither_repeats_nor_skips(consumer_client, db):
    existing = [ClaimFactory(status=VETTED).pk for _ in range(5)]
    seen = []

    for page in walk(consumer_client, {"page_size": 2, "ordering": "-created"}):
        seen += page
        ClaimFactory(status=VETTED)

    assert seen == existing[::-1]


def test_page_size_is_bounded(consumer_client, db, monkeypatch):
    monkeypatch.setattr(ClaimCursorPagination, "max_page_size", 3)
    for _ in range(5):
        ClaimFactory(status=VETTED)

    response = consumer_client.get("/api/v1/claims/", {"page_size": 100})

    assert len(response.json()["results"]) == 3
    assert response.json()["next"]


def test_an_invalid_cursor_gives_404_not_500(consumer_client, world):
    response = consumer_client.get("/api/v1/claims/", {"cursor": "not-a-cursor"})

    assert response.status_code == 404


def read_csv(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_csv_has_one_row_per_attribution_with_claim_and_source_fields(consumer_client, db):
    claim = ClaimFactory(status=VETTED, likelihood="likely")
    claim.entities.add(EntityFactory(name="Kati"))
    first = AttributionFactory(claim=claim, source=SourceFactory(label="un haut gradé", reliability="C"))
    second = AttributionFactory(claim=claim, credibility=2)
    bare = ClaimFactory(status=VETTED)

    rows = read_csv(consumer_client.get("/api/v1/claims/", {"format": "csv"}))

    assert list(rows[0]) == HEADER
    assert [(r["claim_id"], r["attribution_id"]) for r in rows] == [
        (str(bare.pk), ""),
        (str(claim.pk), str(first.pk)),
        (str(claim.pk), str(second.pk)),
    ]
    row = rows[1]
    assert (row["claim_likelihood"], row["claim_entities"], row["claim_status"]) == ("likely", "Kati", "vetted")
    assert (row["source_label"], row["source_reliability"], row["attribution_grade"]) == ("un haut gradé", "C", "C3")
    assert row["report_outlet"] == first.report.outlet


def test_csv_applies_the_same_filters_and_visibility(consumer_client, world, pair_of_kinds):
    rows = read_csv(consumer_client.get("/api/v1/claims/", {"format": "csv", "kind": "allegation"}))

    assert {row["claim_id"] for row in rows} == {str(pair_of_kinds.pk)}
    everything = read_csv(consumer_client.get("/api/v1/claims/", {"format": "csv"}))
    assert {row["claim_status"] for row in everything} == {"vetted"}


@pytest.fixture
def pair_of_kinds(db):
    return AttributionFactory(claim=ClaimFactory(status=VETTED, kind=Claim.Kind.ALLEGATION)).claim


def test_csv_pages_link_to_the_next_page(consumer_client, db):
    for _ in range(3):
        ClaimFactory(status=VETTED)

    response = consumer_client.get("/api/v1/claims/", {"format": "csv", "page_size": 2})

    assert 'rel="next"' in response["Link"]
    assert "format=csv" in response["Link"]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(consumer_client, db):
    ClaimFactory(status=VETTED, statement='=HYPERLINK("http://example.org")')

    [row] = read_csv(consumer_client.get("/api/v1/claims/", {"format": "csv"}))

    assert row["claim_statement"].startswith("'=")


def test_csv_errors_name_the_field(consumer_client, world):
    response = consumer_client.get("/api/v1/claims/", {"format": "csv", "kind": "rumour"})

    assert response.status_code == 400
    assert read_csv(response)[0]["field"] == "kind"


def test_options_in_csv_does_not_break(consumer_client, world):
    response = consumer_client.options("/api/v1/claims/?format=csv")

    assert response.status_code == 200
    assert read_csv(response)[0]["field"] == "name"


@pytest.mark.parametrize("lookup", ["abc", "1.5", "-1", "1e3"])
def test_a_malformed_id_is_a_json_404(consumer_client, world, lookup):
    response = consumer_client.get(f"/api/v1/claims/{lookup}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_csv_for_spreadsheets_starts_with_a_utf8_byte_order_mark_so_accents_survive_excel(
    analyst_client, make_evidence
):
    make_evidence(1)
    url = "/api/v1/claims/?format=csv&status=vetted"

    plain, for_excel = analyst_client.get(url), analyst_client.get(url + "&bom=1")

    assert not plain.content.startswith(b"\xef\xbb\xbf")
    assert for_excel.content == b"\xef\xbb\xbf" + plain.content
    assert for_excel["ETag"] != plain["ETag"], "a cached plain CSV must not answer a request for the BOM variant"


def test_the_claims_pages_csv_button_downloads_the_spreadsheet_variant_with_accents_intact(client, analyst):
    """Issue 13, defect 12: the download button itself asks for the byte-order mark, not only the API."""
    ClaimFactory(status=VETTED, statement="Des drones turcs sont arrivés à Sévaré.")
    client.force_login(analyst)
    page = client.get("/claims/").content.decode()

    button = re.search(r'<a href="([^"]+)"[^>]*data-export="csv"', page)
    assert button, "the claims page has no CSV button"
    href = html_lib.unescape(button.group(1))
    assert parse_qs(urlsplit(href).query).get("bom") == ["1"], f"the CSV button asks for {href}"
    download = client.get(href)

    assert download.status_code == 200 and download.content.startswith(b"\xef\xbb\xbf")
    assert "Des drones turcs sont arrivés à Sévaré." in download.content.decode("utf-8-sig")
