"""Search everywhere (`claims.search`): one rule on /search/, the claims list, the API and the admin boxes.

Every test here runs on whichever database the suite runs on; CI runs the
suite on SQLite and on PostgreSQL, so the same cases pass on both. The last
ones compare the words SQLite's Python folding reads with PostgreSQL's own
(`claimtracker_search_document`), and check that the GIN indexes serve the
queries: they run on PostgreSQL only.
"""

from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claims import search
from claims.models import Attribution, Claim, ClaimRelation, Entity
from claims.similarity import fold
from sources.models import Report, Source
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EntityFactory,
    ReportFactory,
    SourceFactory,
)
from tests.helpers import logged_in, page_text

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own text search")


# The cases: (query, text that holds it) -----------------------------------------------------------

FINDS = {
    "lower case, no accent": ("goita", "Assimi Goïta took power in a coup."),
    "upper case, accented": ("GOÏTA", "Assimi Goïta took power in a coup."),
    "straight apostrophe, curly in the text": ("l'armée", "Selon l’armée malienne, les drones sont arrivés."),
    "curly apostrophe, straight in the text": ("l’armée", "Selon l'armée malienne, les drones sont arrivés."),
    "Turkish dotless i, plain in the text": ("Akıncı", "Two Akinci drones were delivered."),
    "plain i, Turkish dotless in the text": ("akinci", "Deux drones Akıncı ont été livrés."),
    "no accent, accented in the text": ("algerie", "Un drone abattu par l’Algérie."),
    "beginnings of words": ("dron abat", "Un drone abattu par l’Algérie."),
}
MISSES = {
    "the middle of a word": ("rone", "Un drone abattu par l’Algérie."),
    "a longer word than the text's": ("armees", "Selon l’armée malienne."),
    "one word of two absent": ("goita camara", "Assimi Goïta took power in a coup."),
    "punctuation only": ("’ - !", "Assimi Goïta took power in a coup."),
}


def claim_with(text: str) -> Claim:
    """A vetted claim whose statement holds `text`, and one that holds none of the cases' words."""
    ClaimFactory(statement="Wagner left in June.", status=Claim.Status.VETTED)
    return ClaimFactory(statement=text, status=Claim.Status.VETTED)


def found_claims(client, url_name: str, q: str) -> list[int]:
    """The claims a surface lists for `q`: the search page's claims, the claims list, the API, the admin."""
    if url_name == "api":
        return [row["id"] for row in client.get("/api/v1/claims/", {"q": q}).json()["results"]]
    response = client.get(reverse(url_name), {"q": q})
    assert response.status_code == 200
    if url_name == "search":
        return [claim.pk for claim in response.context["found"]["claims"].rows]
    if url_name == "claim_list":
        return [claim.pk for claim in response.context["object_list"]]
    return [claim.pk for claim in response.context["cl"].result_list]


SURFACES = ["search", "claim_list", "api", "admin:claims_claim_changelist"]


def found_by_each(client, q: str) -> dict[str, tuple[int, ...]]:
    """What each search box finds: {surface: claim ids}."""
    return {surface: tuple(sorted(found_claims(client, surface, q))) for surface in SURFACES}


@pytest.mark.parametrize("case", FINDS)
def test_every_search_box_finds_claims_whatever_the_case_accents_and_apostrophes(reviewer_client, case):
    q, text = FINDS[case]
    wanted = claim_with(text)

    assert found_by_each(reviewer_client, q) == dict.fromkeys(SURFACES, (wanted.pk,))


@pytest.mark.parametrize("case", MISSES)
def test_no_search_box_finds_the_middle_of_a_word_or_a_word_missing(reviewer_client, case):
    q, text = MISSES[case]
    claim_with(text)

    assert found_by_each(reviewer_client, q) == dict.fromkeys(SURFACES, ())


def test_claims_are_found_by_their_quotes_and_source_labels_each_listed_once(reviewer_client):
    report = ReportFactory(body="Selon un officier de l’armée malienne, l’Algérie a abattu un drone.")
    by_quote = ClaimFactory(statement="A drone was shot down.", status=Claim.Status.VETTED)
    AttributionFactory(claim=by_quote, report=report, quote="l’Algérie a abattu un drone")
    AttributionFactory(claim=by_quote, report=report, quote="l’Algérie a abattu")  # twice: listed once
    by_source = ClaimFactory(statement="Drones arrived in 2022.", status=Claim.Status.VETTED)
    AttributionFactory(claim=by_source, source=SourceFactory(label="un officier algérien"))
    ClaimFactory(statement="Algeria's army is large.", status=Claim.Status.VETTED)  # "algeria" is not "algerie"

    wanted = tuple(sorted([by_quote.pk, by_source.pk]))
    assert found_by_each(reviewer_client, "ALGERIE") == dict.fromkeys(SURFACES, wanted)


def test_words_may_be_found_in_different_fields_of_a_claim(reviewer_client):
    claim = claim_with("Assimi Goïta took power in a coup.")
    AttributionFactory(claim=claim, source=SourceFactory(label="un officier malien"))

    assert found_claims(reviewer_client, "claim_list", "goita officier") == [claim.pk]


# Entities, reports, sources and quotes: each through the search page, its list and the admin ---------------


def test_an_entity_is_found_by_its_alias_whatever_the_dotless_i_on_either_side(reviewer_client):
    by_plain_alias = EntityFactory(name="Baykar long-endurance drone", aliases="Akinci\nTB3")
    by_dotless_alias = EntityFactory(name="Baykar combat drone", aliases="Bayraktar Akıncı")
    EntityFactory(name="Bayraktar TB2", aliases="TB2")
    both = sorted([by_plain_alias.pk, by_dotless_alias.pk])

    for q in ["Akıncı", "akinci", "AKINCI"]:
        page = reviewer_client.get(reverse("search"), {"q": q}).context["found"]["entities"]
        api = reviewer_client.get("/api/v1/entities/", {"q": q}).json()["results"]
        admin = reviewer_client.get(reverse("admin:claims_entity_changelist"), {"q": q}).context["cl"].result_list
        assert sorted(entity.pk for entity in page.rows) == both, q
        assert sorted(row["id"] for row in api) == both, q
        assert sorted(entity.pk for entity in admin) == both, q


def test_the_admin_autocomplete_of_entities_searches_the_same_way(reviewer_client):
    goita = EntityFactory(name="Assimi Goïta", kind=Entity.Kind.PERSON)
    EntityFactory(name="Sadio Camara", kind=Entity.Kind.PERSON)

    response = reviewer_client.get(
        reverse("admin:autocomplete"),
        {"term": "GOIT", "app_label": "claims", "model_name": "claim", "field_name": "entities"},
    )

    assert [row["id"] for row in response.json()["results"]] == [str(goita.pk)]


def test_reports_are_found_by_title_or_text_on_the_search_page_and_in_the_admin(reviewer_client):
    by_title = ReportFactory(title="Un drone turc abattu en Algérie")
    by_body = ReportFactory(body="Selon l’armée malienne, le drone s’est écrasé près de la frontière.")
    ReportFactory(title="Wagner quitte le Mali")

    for q in ["algerie", "l'armée malienne"]:
        wanted = [by_title.pk] if q == "algerie" else [by_body.pk]
        page = reviewer_client.get(reverse("search"), {"q": q}).context["found"]["reports"]
        admin = reviewer_client.get(reverse("admin:sources_report_changelist"), {"q": q}).context["cl"].result_list
        assert [report.pk for report in page.rows] == wanted, q
        assert [report.pk for report in admin] == wanted, q


def test_sources_are_found_by_label_or_description_on_the_search_page_and_in_the_admin(reviewer_client):
    wanted = SourceFactory(label="un diplomate", description="Un diplomate en poste en Algérie, cité par RFI.")
    SourceFactory(label="un officier malien")

    page = reviewer_client.get(reverse("search"), {"q": "ALGÉRIE diplo"}).context["found"]["sources"]
    admin = reviewer_client.get(reverse("admin:sources_source_changelist"), {"q": "ALGÉRIE diplo"})

    assert [source.pk for source in page.rows] == [wanted.pk]
    assert [source.pk for source in admin.context["cl"].result_list] == [wanted.pk]


def test_quotes_are_found_on_the_search_page_and_in_the_admin_linking_to_their_passage(reviewer_client):
    report = ReportFactory(body="Selon l’armée malienne, les drones sont arrivés à la fin de 2022.")
    quote = AttributionFactory(report=report, quote="Selon l’armée malienne")
    AttributionFactory(report=report, quote="les drones sont arrivés")

    response = reviewer_client.get(reverse("search"), {"q": "l'armee"})
    admin = reviewer_client.get(reverse("admin:claims_attribution_changelist"), {"q": "l'armee"})

    assert [attribution.pk for attribution in response.context["found"]["quotes"].rows] == [quote.pk]
    assert f'href="{reverse("report_detail", args=[report.pk])}#attribution-{quote.pk}"' in page_text(response)
    assert [attribution.pk for attribution in admin.context["cl"].result_list] == [quote.pk]


# The search page --------------------------------------------------------------------------------------------


def test_the_search_page_groups_what_it_finds_by_kind(reviewer_client):
    report = ReportFactory(title="Goïta et ses drones", body="Le colonel Goïta a reçu les drones.")
    AttributionFactory(
        claim=ClaimFactory(statement="Goïta received the drones."),
        report=report,
        source=SourceFactory(label="un proche de Goïta"),
        quote="Le colonel Goïta a reçu les drones",
    )
    EntityFactory(name="Assimi Goïta", kind=Entity.Kind.PERSON)

    text = page_text(reviewer_client.get(reverse("search"), {"q": "goita"}))

    for heading in ["Claims (1)", "Quotes (1)", "Reports (1)", "Sources (1)", "Entities (1)"]:
        assert heading in text
    for shown in ["Goïta received the drones.", "“Le colonel Goïta a reçu les drones”", "Goïta et ses drones"]:
        assert shown in text
    assert "un proche de Goïta" in text and "Assimi Goïta" in text


def test_the_search_page_says_when_a_query_has_no_word(reviewer_client):
    response = reviewer_client.get(reverse("search"), {"q": "’ !"})

    assert response.context["found"] is not None
    assert "has no word to search for" in page_text(response)


def test_the_menu_has_a_search_box_for_reviewers_only(client, reviewer, consumer):
    menu = page_text(logged_in(reviewer).get(reverse("overview")))
    consumer_menu = page_text(logged_in(consumer).get(reverse("api-docs")))

    assert f'action="{reverse("search")}"' in menu
    assert f'action="{reverse("search")}"' not in consumer_menu


def test_anonymous_visitors_are_sent_to_log_in_and_consumers_refused(client, consumer, outsider):
    url = f"{reverse('search')}?q=goita"

    assert client.get(url).url == f"{reverse('login')}?next={reverse('search')}%3Fq%3Dgoita"
    assert logged_in(consumer).get(url).status_code == 403
    assert logged_in(outsider).get(url).status_code == 403


@pytest.fixture
def goita_everywhere(db):
    """`count` of each kind of thing, each holding "Goïta"; and one of each that does not."""

    def make(count: int) -> SimpleNamespace:
        for n in range(count + 1):
            name = f"Goïta {n}" if n < count else f"Camara {n}"
            report = ReportFactory(title=name, body=f"Selon l’entourage de {name}, les drones sont arrivés.")
            AttributionFactory(
                claim=ClaimFactory(statement=f"{name} received the drones."),
                report=report,
                source=SourceFactory(label=f"un proche de {name}"),
                quote=f"l’entourage de {name}",
            )
            EntityFactory(name=name, kind=Entity.Kind.PERSON)
        return SimpleNamespace(count=count)

    return make


@pytest.mark.parametrize("count", [1, 30])
def test_the_search_page_runs_14_queries_whatever_it_finds(
    reviewer_client, goita_everywhere, count, django_assert_max_num_queries
):
    goita_everywhere(count)
    # session, user, user permissions, group permissions; then two queries per kind, the number found and
    # the first rows: claims, quotes (with claim, source and report), reports, sources, entities
    with django_assert_max_num_queries(14):
        response = reviewer_client.get(reverse("search"), {"q": "goita"})

    found = response.context["found"]
    assert {kind: group.total for kind, group in found.items()} == dict.fromkeys(found, count)
    assert {len(group.rows) for group in found.values()} == {min(count, search.GROUP_LIMIT)}
    if count > search.GROUP_LIMIT:
        text = page_text(response)
        assert f"{count - search.GROUP_LIMIT} more claims" in text
        assert f'href="{reverse("claim_list")}?q=goita"' in text


# The rule itself, on this database ----------------------------------------------------------------------

RULE = [
    # (text, query, found?)
    ("L’ARMÉE de l’air", "l'armee air", True),
    ("Ayşe Kılıç et Øystein Ødegård", "ayse kilic oystein odegard", True),
    ("Œuvre d’Ælfred, Łódź", "oeuvre aelfred lodz", True),
    ("Straße", "strasse", True),
    ("ﬁn de l’opération", "fin operation", True),
    ("e\u0301cole (décomposé)", "ecole decompose", True),
    ("Αθήνα, Москва, Ёлка", "αθηνα москва елка", True),
    ("lemonde.fr/afrique 2.5 x@y.com", "fr afrique 5 y com", True),
    ("Africa-Corps", "corps africa", True),
    ("TB2 et 2\u00a0000 drones", "tb 2 000", True),
    ("foo_bar", "bar", True),
    ("drones", "rones", False),
    ("Goïta", "goitas", False),
    ("Algérie", "algeria", False),
]


@pytest.mark.parametrize(("text", "q", "expected"), RULE)
def test_the_rule_holds_on_this_database_as_in_python(db, text, q, expected):
    ClaimFactory(statement=text)

    found = search.matching(Claim.objects.all(), q, ["statement"]).exists()

    assert found is expected
    assert search.text_matches(text, search.words(q)) is expected


def test_every_admin_search_box_searches_by_this_rule_on_this_database(db):
    ClaimRelationFactory(rationale="Selon l’armée, Goïta ment.")
    overridden = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if type(model_admin).get_search_results is not admin.ModelAdmin.get_search_results
    }

    found = {
        model: model_admin.get_search_results(None, model._default_manager.all(), "GOÏTA l'armee")[0].count()
        for model, model_admin in overridden.items()
    }

    assert set(found) == {Claim, Attribution, ClaimRelation, Report, Source, Entity}
    assert found[ClaimRelation] == 1


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_search_folds_text_as_claims_similarity_does_one_character_at_a_time(text):
    assert search.folded(text) == fold(text.translate(search._UNACCENT)).translate(search._UNACCENT)


def test_a_blank_query_filters_nothing_and_a_query_without_words_finds_nothing(db):
    ClaimFactory(statement="Goïta")

    assert search.matching(Claim.objects.all(), "  ", search.CLAIM_FIELDS).count() == 1
    assert search.matching(Claim.objects.all(), "’ - !", search.CLAIM_FIELDS).count() == 0


def test_a_long_query_is_searched_by_its_first_words_in_a_bounded_query(db):
    ClaimFactory(statement="Goïta received the drones.")

    pasted = "goita received " + " ".join(f"word{n}" for n in range(500))

    assert search.words(pasted)[:2] == ["goita", "received"] and len(search.words(pasted)) == search.MAX_WORDS
    assert not search.matching(Claim.objects.all(), pasted, search.CLAIM_FIELDS).exists()
    assert search.matching(Claim.objects.all(), "goita received " + "x" * 5000, ["statement"]).count() == 0


# PostgreSQL: the same words as Python, through the indexes --------------------------------------------------


def postgresql_words(text: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tsvector_to_array({search.DOCUMENT_FUNCTION}(%s))", [text])
        return set(cursor.fetchone()[0])


ALPHABET = st.sampled_from(
    list("aAeéÉèêëïÏîôöœŒæçÇßıIİğşŞøØłŁđðþñüÜ0123456789 -_.,;:!?'’‘ʼ`«»\"()/@&%\u00a0\u0301\u0308")
    + list("ΑαΩωσςΣМмёЁжЖأإآاةعبڤ")
)


@on_postgresql
@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(ALPHABET, max_size=40))
@example("0e0a")  # PostgreSQL's parser reads a number in scientific notation as a word: "0e0" and "a"
@example("x0e0a 10e5é 0e01 00ea")
def test_python_reads_the_same_words_as_postgresql(text):
    assert postgresql_words(text) == search.document_words(text)


@on_postgresql
@pytest.mark.parametrize("text", [text for text, _q, _expected in RULE])
def test_python_reads_the_same_words_as_postgresql_in_the_rule_cases(db, text):
    assert postgresql_words(text) == search.document_words(text)


@on_postgresql
@pytest.mark.parametrize(
    ("queryset", "fields", "indexes"),
    [
        (
            lambda: Report.objects.all(),
            search.REPORT_FIELDS,
            ["sources_report_title_words", "sources_report_body_words"],
        ),
        (lambda: Source.objects.all(), search.SOURCE_FIELDS, ["sources_source_label_words"]),
        (lambda: Entity.objects.all(), search.ENTITY_FIELDS, ["claims_entity_name_words"]),
        (
            lambda: Claim.objects.all(),
            search.CLAIM_FIELDS,
            ["claims_claim_statement_words", "claims_attribution_quote_words", "sources_source_label_words"],
        ),
    ],
    ids=["reports", "sources", "entities", "claims"],
)
def test_the_gin_indexes_serve_the_search(db, queryset, fields, indexes):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table of a few rows would be scanned otherwise
    # Unordered: on a few rows, walking the ordering's index and filtering costs less than the GIN index.
    plan = search.matching(queryset().order_by(), "goita armee", fields).explain()

    for index in indexes:
        assert index in plan
