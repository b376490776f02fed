"""Intake in the admin: a report from pasted text or a file, then its proposed attributions accepted.

The add form reads what the analyst pastes or uploads (`sources.documents`);
the "Propose attributions" page lists the extractor's proposals beside the
text and writes the ticked ones through `services.proposals_accept`, all or
nothing.
"""

import html.parser
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.admin import reports as reports_admin
from claims.models import Attribution, Claim
from sources import admin as sources_admin
from sources import documents
from sources.models import Report, Source
from tests.adminforms import messages_of
from tests.factories import AttributionFactory, ClaimFactory, ReportFactory, SourceFactory, UserFactory
from tests.helpers import logged_in, page_text

# A short report written for these tests: a "selon", a direct quote in « » with its speaker after it, a
# conditional after "d'après", a reporting verb with its subject. French typography: ’, « », U+00A0.
TEXT = (
    "Mali : un drone turc abattu à la frontière algérienne\n"
    "\n"
    "Selon l’armée malienne, un drone Akinci a été abattu dans la nuit du 31\u00a0mars au 1er\u00a0avril près "
    "de Tinzaouatène, à la frontière avec l’Algérie.\n"
    "\n"
    "«\u00a0Nous n’avons reçu aucune explication\u00a0», a déclaré un officier malien qui a requis l’anonymat.\n"
    "\n"
    "D’après une source diplomatique européenne, Alger aurait transmis la position de l’appareil à ses "
    "défenses antiaériennes.\n"
    "\n"
    "Les autorités algériennes affirment que le drone avait pénétré de deux kilomètres dans leur espace aérien."
)
SIMILAR = "Un drone Akinci de l’armée malienne a été abattu près de Tinzaouatène, à la frontière algérienne."

ADD = reverse("admin:sources_report_add")


def propose_url(report) -> str:
    return reverse("admin:sources_report_propose", args=[report.pk])


def add_data(**fields) -> dict:
    """What the add form posts: a report's fields as a browser sends them, `fields` over them."""
    data = {
        "title": "Un drone turc abattu",
        "outlet": "Le Monde",
        "author": "",
        "published": "2025-04-02",
        "url": "",
        "kind": Report.Kind.NEWS_ARTICLE,
        "tlp": Report.Tlp.CLEAR,
        "language": "fr",
        "body_kind": Report.BodyKind.FULL_TEXT,
        "body": "",
        "note": "",
        "derivations-TOTAL_FORMS": "0",
        "derivations-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def errors_of(response, field: str) -> list[str]:
    return list(response.context["adminform"].form.errors.get(field, []))


# A report in, as it comes ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pasted_text_is_kept_as_typed_but_for_line_endings_trailing_spaces_and_control_characters(analyst):
    pasted = "  Titre  \r\n\r\n«\u00a0Ils sont très discrets\u00a0», affirme l’officier.\x00 \t\r\nFin.\x0c"

    response = logged_in(analyst).post(ADD, add_data(body=pasted))

    assert response.status_code == 302, page_text(response)[:3000]
    report = Report.objects.get()
    assert report.body == "Titre\n\n«\u00a0Ils sont très discrets\u00a0», affirme l’officier.\nFin."
    assert (report.original, report.original_name, report.original_type) == ("", "", "")
    assert report.created_by == analyst


@pytest.mark.django_db
def test_a_windows_1252_text_file_is_read_as_such_kept_as_the_original_and_the_analyst_told(analyst):
    text = "Selon l’armée, « les drones sont arrivés » en 2022.\r\nDeuxième ligne.  \r\n"
    client = logged_in(analyst)

    response = client.post(ADD, add_data(document=upload("depeche.txt", text.encode("cp1252"))), follow=True)

    report = Report.objects.get()
    assert report.body == "Selon l’armée, « les drones sont arrivés » en 2022.\nDeuxième ligne."
    assert report.original == text
    assert (report.original_name, report.original_type) == ("depeche.txt", "text/plain; charset=cp1252")
    assert "Read “depeche.txt” as Windows-1252." in messages_of(response)


PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Drone abattu | Le Monde</title>
<meta property="og:title" content="Un drone turc abattu à la frontière algérienne">
<meta property="og:site_name" content="Le Monde">
<meta property="article:published_time" content="2025-04-02T08:30:00+00:00">
</head><body>
<nav><a href="/">Accueil</a> <a href="/international/">International</a> <a href="/abonnement/">S’abonner</a></nav>
<article><h1>Un drone turc abattu à la frontière algérienne</h1>
<p>Selon l’armée malienne, un drone Akinci a été abattu près de Tinzaouatène, à la frontière avec
l’Algérie, dans la nuit du 31&nbsp;mars au 1er&nbsp;avril.</p>
<p>«&#8239;Nous n’avons reçu aucune explication&#8239;», a déclaré un officier malien qui a requis l’anonymat.
Les autorités algériennes affirment que l’appareil avait pénétré de deux kilomètres dans leur espace aérien.</p>
</article>
<footer>© Le Monde – Tous droits réservés. Politique de confidentialité.</footer>
</body></html>"""


@pytest.mark.django_db
def test_an_html_page_is_reduced_to_its_article_its_metadata_fills_the_blanks_and_the_page_is_kept(analyst):
    client = logged_in(analyst)

    response = client.post(
        ADD,
        add_data(title="", outlet="", published="", document=upload("article.html", PAGE.encode())),
        follow=True,
    )

    report = Report.objects.get()
    assert "Selon l’armée malienne, un drone Akinci a été abattu" in report.body
    assert "31\u00a0mars au 1er\u00a0avril" in report.body  # the page's non-breaking spaces, kept
    assert "«\u202fNous n’avons reçu aucune explication\u202f»" in report.body
    assert "Accueil" not in report.body and "Tous droits réservés" not in report.body
    assert (report.title, report.outlet, str(report.published)) == (
        "Un drone turc abattu à la frontière algérienne",
        "Le Monde",
        "2025-04-02",
    )
    assert report.original == PAGE
    assert report.original_type == "text/html; charset=utf-8"
    assert any("title, outlet, published taken from the page's metadata" in m for m in messages_of(response))


@pytest.mark.django_db
def test_the_original_file_is_read_only_and_downloaded_as_plain_text(analyst, consumer):
    logged_in(analyst).post(ADD, add_data(document=upload("article.html", PAGE.encode())))
    report = Report.objects.get()
    client = logged_in(analyst)

    change = page_text(client.get(reverse("admin:sources_report_change", args=[report.pk])))
    response = client.get(reverse("admin:sources_report_original", args=[report.pk]))

    assert "article.html" in change and 'name="original"' not in change
    assert response["Content-Type"] == "text/plain; charset=utf-8"  # a page is never served as a page here
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.decode() == PAGE
    assert logged_in(consumer).get(reverse("admin:sources_report_original", args=[report.pk])).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"body": " \r\n\t\x00 "}, "body", "The text is empty"),
        ({"document": ("scan.pdf", b"%PDF-1.4 ...")}, "document", "“scan.pdf” is not a .txt or .html file"),
        (
            {"document": ("broken.txt", b"Le caf\xe9 \x81")},
            "document",
            "could not be read as text: tried UTF-8 (byte 0xE9 at 6), then Windows-1252 (byte 0x81 at 8)",
        ),
        ({"document": ("utf16.txt", "Sans BOM".encode("utf-16-le"))}, "document", "it holds NUL bytes"),
        (
            {"document": ("video.html", b"<html><body><video src='v.mp4'></video><script>x=1</script></body></html>")},
            "document",
            "No article text was found in this page",
        ),
        ({"body": "Du texte.", "document": ("aussi.txt", b"Et un fichier.")}, "document", "not both"),
        ({"body": "x" * 101}, "body", "The text is 101 characters long; a report holds 100 at most"),
        ({"document": ("long.txt", b"x" * 201)}, "document", "“long.txt” is 201 bytes; a file of 200 bytes at most"),
        ({"title": ""}, "title", "This field is required."),
    ],
    ids=[
        "empty",
        "extension",
        "undecodable",
        "binary",
        "no-article",
        "both",
        "text-too-long",
        "file-too-large",
        "title",
    ],
)
def test_bad_input_gets_a_clear_error_beside_its_field_and_writes_nothing(analyst, monkeypatch, fields, field, message):
    monkeypatch.setattr(sources_admin, "BODY_LIMIT", 100)
    monkeypatch.setattr(documents, "UPLOAD_LIMIT", 200)
    pasted = "Un texte."
    if "document" in fields:
        pasted, fields["document"] = "", upload(*fields["document"])

    response = logged_in(analyst).post(ADD, add_data(**{"body": pasted, **fields}))

    assert response.status_code == 200
    assert any(message in error for error in errors_of(response, field)), errors_of(response, field)
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_file_read_before_another_field_failed_comes_back_in_the_form_and_is_kept(analyst):
    client = logged_in(analyst)
    text = "Première ligne, en Windows-1252 : « été ».\n"

    failed = client.post(ADD, add_data(outlet="", document=upload("note.txt", text.encode("cp1252"))))
    form = failed.context["adminform"].form
    again = {name: form[name].value() or "" for name in ("body", "file_text", "file_name", "file_type")}
    saved = client.post(ADD, add_data(outlet="AFP", **again))

    assert errors_of(failed, "outlet") == ["This field is required."]
    assert again["body"] == "Première ligne, en Windows-1252 : « été »."
    assert saved.status_code == 302
    report = Report.objects.get()
    assert (report.body, report.original, report.original_type) == (again["body"], text, "text/plain; charset=cp1252")


@pytest.mark.django_db
def test_saving_a_report_unchanged_from_a_browser_which_sends_crlf_line_endings_changes_nothing(analyst):
    report = ReportFactory(body="Ligne un.\nLigne deux : les drones sont arrivés.")
    AttributionFactory(report=report, quote="les drones sont arrivés")
    client = logged_in(analyst)
    url = reverse("admin:sources_report_change", args=[report.pk])
    from tests.adminforms import form_data

    data = form_data(client.get(url))
    data["body"] = data["body"].replace("\n", "\r\n")
    response = client.post(url, data, follow=True)

    report.refresh_from_db()
    assert report.body == "Ligne un.\nLigne deux : les drones sont arrivés."
    assert not any("re-anchored" in message for message in messages_of(response))


# Proposed attributions ---------------------------------------------------------------------------------


@pytest.fixture
def report(db):
    return ReportFactory(title="Un drone turc abattu", outlet="Le Monde", language="fr", body=TEXT)


@pytest.fixture
def similar_claim(analyst, reviewer):
    """A vetted claim on file that a proposal of the report corroborates."""
    claim = ClaimFactory(statement=SIMILAR, original_wording="")
    services.claim_transition(claim=claim, action="submit", by=analyst)
    services.claim_transition(claim=claim, action="vet", by=reviewer)
    return claim


class Marks(html.parser.HTMLParser):
    """The text inside each proposal's marks on the page, by proposal number (nested marks included)."""

    def __init__(self):
        super().__init__()
        self.open: list[str | None] = []
        self.text: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "mark":
            self.open.append(dict(attrs).get("data-proposal"))

    def handle_endtag(self, tag):
        if tag == "mark":
            self.open.pop()

    def handle_data(self, data):
        for number in {n for n in self.open if n}:
            self.text[number] = self.text.get(number, "") + data


def rows(response) -> dict[int, dict]:
    """The proposals on the page by number: what each form holds."""
    return {n: {name: form[name].value() for name in form.fields} for n, form in response.context["rows"]}


def number_of(response, words: str) -> int:
    return next(n for n, row in rows(response).items() if words in row["quote"])


def posted(response, ticked: dict[int, dict]) -> dict:
    """The POST of the page as shown, with the rows `ticked` ticked and edited as given."""
    formset = response.context["formset"]
    data = {
        f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
        f"{formset.prefix}-INITIAL_FORMS": str(len(formset.forms)),
    }
    for number, form in response.context["rows"]:
        values = {name: form[name].value() for name in form.fields}
        values.update(accept=number in ticked, **ticked.get(number, {}))
        for name, value in values.items():
            if value is not None and value is not False:
                data[form.add_prefix(name)] = "on" if value is True else str(value)
    return data


def counts() -> tuple[int, int, int]:
    return Claim.objects.count(), Attribution.objects.count(), Source.objects.count()


@pytest.mark.django_db
def test_the_propose_page_lists_each_proposal_beside_the_text_with_its_passage_highlighted(analyst, report):
    response = logged_in(analyst).get(propose_url(report))

    assert response.status_code == 200
    marks = Marks()
    marks.feed(response.content.decode())
    shown = rows(response)
    assert len(shown) == 4
    for number, row in shown.items():
        assert report.body[row["start"] : row["end"]] == row["quote"]
        assert marks.text[str(number)] == row["quote"]
        assert not row["accept"]  # nothing ticked before the analyst reads it
    hedged = shown[number_of(response, "aurait transmis")]
    assert hedged["hedged"] is True
    assert hedged["new_source"] == "une source diplomatique européenne"
    assert hedged["source_kind"] == Source.Kind.ANONYMOUS_INDIVIDUAL
    assert (hedged["reliability"], hedged["credibility"]) == ("F", 6)


@pytest.mark.django_db
def test_a_proposal_matched_to_a_source_on_file_starts_with_that_source_and_its_grade(analyst, report):
    army = SourceFactory(label="l’armée malienne", kind=Source.Kind.ORGANISATION, reliability="C", anonymous=False)

    response = logged_in(analyst).get(propose_url(report))

    row = rows(response)[number_of(response, "Selon l’armée malienne")]
    assert (row["source"], row["source_kind"], row["reliability"]) == (str(army.pk), army.kind, "C")


@pytest.mark.django_db
def test_accepting_three_proposals_records_drafts_anchored_with_history_and_author(analyst, report, similar_claim):
    client = logged_in(analyst)
    page = client.get(propose_url(report))
    army, quote, hedged = (number_of(page, w) for w in ("Selon l’armée", "Nous n’avons", "aurait transmis"))
    assert rows(page)[army]["similar"].split(",")[0] == str(similar_claim.pk)

    response = client.post(
        propose_url(report),
        posted(
            page,
            {
                army: {"target": similar_claim.pk, "stance": "supports", "credibility": 3},
                quote: {"statement": "Mali received no explanation.", "claim_kind": Claim.Kind.ASSESSMENT},
                hedged: {"statement": "Algiers passed the drone's position to its air defences.", "reliability": "D"},
            },
        ),
        follow=True,
    )

    new = Claim.objects.exclude(pk=similar_claim.pk)
    assert f"3 attributions recorded (2 new claims, 1 as evidence for #{similar_claim.pk})." in messages_of(response)
    assert f"Vetted claim(s) given new evidence went back to review: #{similar_claim.pk}." in messages_of(response)
    assert response.redirect_chain[-1][0] == reverse("admin:sources_report_change", args=[report.pk])
    assert sorted(new.values_list("statement", flat=True)) == [
        "Algiers passed the drone's position to its air defences.",
        "Mali received no explanation.",
    ]
    assert all(claim.status == Claim.Status.DRAFT and claim.created_by == analyst for claim in new)
    attributions = list(Attribution.objects.filter(report=report).select_related("source", "claim"))
    assert len(attributions) == 3
    assert all(report.body[a.start : a.end] == a.quote for a in attributions)
    evidence = similar_claim.attributions.get()
    assert (evidence.credibility, evidence.stance, evidence.mode) == (3, "supports", "paraphrase")
    similar_claim.refresh_from_db()
    assert similar_claim.status == Claim.Status.IN_REVIEW  # new evidence: a reviewer looks again
    conditional = Attribution.objects.get(claim__statement__startswith="Algiers")
    assert conditional.hedged and conditional.source.label == "une source diplomatique européenne"
    assert (conditional.source.kind, conditional.source.reliability) == (Source.Kind.ANONYMOUS_INDIVIDUAL, "D")
    assert conditional.source.anonymous
    assert Claim.objects.get(statement__startswith="Mali").kind == Claim.Kind.ASSESSMENT
    for attribution in attributions:
        assert attribution.history.get().history_user == analyst
    assert {record.history_user for claim in new for record in claim.history.all()} == {analyst}


@pytest.mark.django_db
def test_accepting_is_all_or_nothing_when_one_row_is_refused_by_the_services(analyst, report):
    client = logged_in(analyst)
    page = client.get(propose_url(report))
    first, second = number_of(page, "Selon l’armée"), number_of(page, "Nous n’avons")
    before = counts()

    response = client.post(
        propose_url(report),
        posted(page, {first: {}, second: {"start": rows(page)[second]["start"] + 1}}),  # a span that moved
    )

    assert response.status_code == 200
    assert counts() == before
    assert f"Proposal {second} was refused, so nothing was recorded" in " ".join(messages_of(response))
    row = response.context["formset"].forms[second - 1]
    assert "not the quote" in " ".join(row.non_field_errors())
    assert not response.context["formset"].forms[first - 1].errors


@pytest.mark.django_db
def test_a_bad_row_is_shown_again_with_its_errors_beside_the_fields_and_nothing_recorded(analyst, report):
    client = logged_in(analyst)
    page = client.get(propose_url(report))
    army = SourceFactory(label="l’armée", kind=Source.Kind.ORGANISATION, reliability="B", anonymous=False)
    first, second = number_of(page, "Selon l’armée"), number_of(page, "Nous n’avons")
    before = counts()

    response = client.post(
        propose_url(report),
        posted(
            page,
            {
                first: {"statement": "  ", "source": army.pk, "source_kind": army.kind, "reliability": "F"},
                second: {"source": "", "new_source": ""},
            },
        ),
    )

    forms = response.context["formset"].forms
    assert counts() == before
    assert "Write the claim's statement" in forms[first - 1].errors["statement"][0]
    assert "“l’armée” is on file as B" in forms[first - 1].errors["reliability"][0]
    assert forms[second - 1].errors["new_source"] == ["Choose a source, or label a new one."]
    assert 'class="proposal-row with-errors"' in response.content.decode()


@pytest.mark.django_db
def test_accepting_nothing_says_so(analyst, report):
    client = logged_in(analyst)
    page = client.get(propose_url(report))

    response = client.post(propose_url(report), posted(page, {}))

    assert "Tick at least one proposal" in page_text(response)
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_proposals_already_recorded_are_not_proposed_again(analyst, report):
    client = logged_in(analyst)
    page = client.get(propose_url(report))
    quote = number_of(page, "Nous n’avons")
    client.post(propose_url(report), posted(page, {quote: {"statement": "Mali received no explanation."}}))
    # By hand, over part of the "selon" sentence, through the source the proposal names: recorded too.
    army = SourceFactory(label="l’armée malienne", kind=Source.Kind.ORGANISATION, anonymous=False)
    AttributionFactory(report=report, source=army, quote="un drone Akinci a été abattu")

    again = client.get(propose_url(report))

    assert sorted(row["quote"][:20] for row in rows(again).values()) == ["D’après une source d", "Les autorités algéri"]
    assert "2 proposals already recorded for this report are not shown." in page_text(again)


@pytest.mark.django_db
def test_a_long_reports_proposals_come_in_pages_numbered_as_a_whole(analyst, report, monkeypatch):
    # Each row posts up to 19 fields, and Django refuses a POST of more than 1,000: rows come in pages.
    monkeypatch.setattr(reports_admin, "PROPOSALS_PER_PAGE", 3)
    client = logged_in(analyst)

    page = client.get(propose_url(report) + "?page=2")
    response = client.post(propose_url(report) + "?page=2", posted(page, {4: {"source": "", "new_source": "x"}}))

    marks = Marks()
    marks.feed(page.content.decode())
    assert [row["quote"][:14] for row in rows(page).values()] == ["Les autorités "]
    assert list(marks.text) == ["4"] and "Proposals 4–4 of 4" in page_text(page)
    assert response.status_code == 302
    assert Attribution.objects.get().quote.startswith("Les autorités algériennes affirment")


@pytest.mark.django_db
def test_two_rows_naming_the_same_new_source_make_one_source():
    analyst = UserFactory(username="solo")
    report = ReportFactory(body=TEXT)
    source = services.NewSource(label="un officier malien", kind=Source.Kind.ANONYMOUS_INDIVIDUAL)
    drafts = [
        services.ProposalDraft(
            number=n,
            quote=quote,
            start=TEXT.index(quote),
            end=TEXT.index(quote) + len(quote),
            source=source,
            statement=f"Statement {n}.",
        )
        for n, quote in enumerate(["Nous n’avons reçu aucune explication", "Alger aurait transmis"], 1)
    ]

    accepted = services.proposals_accept(report=report, drafts=drafts, by=analyst)

    assert accepted.summary() == "2 attributions recorded (2 new claims)"
    assert Source.objects.get().label == "un officier malien"


@pytest.mark.django_db
def test_the_propose_page_runs_the_same_queries_whatever_the_number_of_proposals(analyst, report):
    short = ReportFactory(body="Selon l’armée malienne, un drone a été abattu.")
    ClaimFactory(statement=SIMILAR)
    client = logged_in(analyst)
    client.get(propose_url(short))  # the model loaded, the content types cached

    measured = {}
    for shown in (short, report):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(propose_url(shown))
        measured[len(rows(response))] = len(queries)

    # 1. the session, 2. the user, 3. the report, 4.-5. the user's permissions, 6. the sources (matched and
    # offered), 7. the report's attributions (recorded ones left out), 8.-9. the claims and their entities
    # (the similar-claims ranking), 10. the similar claims offered.
    assert measured == {1: 10, 4: 10}


@pytest.mark.django_db
def test_who_may_open_the_propose_page(client, report, analyst, reviewer, consumer, outsider):
    viewer = UserFactory(username="viewer", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_report"))

    statuses = {
        user.username: logged_in(user).get(propose_url(report)).status_code
        for user in (analyst, reviewer, consumer, outsider, viewer)
    }

    assert statuses == {"ana": 200, "rev": 200, "con": 302, "nobody": 302, "viewer": 403}
    assert logged_in(viewer).post(propose_url(report), {}).status_code == 403


@pytest.mark.django_db
def test_the_change_page_and_the_list_lead_to_the_propose_page(analyst, report):
    client = logged_in(analyst)

    change = client.get(reverse("admin:sources_report_change", args=[report.pk])).content.decode()
    action = client.post(
        reverse("admin:sources_report_changelist"),
        {"action": "propose_attributions", "_selected_action": [report.pk]},
    )

    assert f'href="{propose_url(report)}"' in change
    assert action.status_code == 302 and action["Location"] == propose_url(report)


@pytest.mark.django_db
def test_the_list_action_asks_for_one_report_at_a_time(analyst, report):
    other = ReportFactory()

    response = logged_in(analyst).post(
        reverse("admin:sources_report_changelist"),
        {"action": "propose_attributions", "_selected_action": [report.pk, other.pk]},
        follow=True,
    )

    assert "Attributions are proposed one report at a time: select one." in messages_of(response)


def test_every_normalised_text_is_a_fixed_point_and_keeps_french_typography():
    text = "«\u00a0Ça\u202fva\u00a0» – l’été…  \r\n\ufeffFin\x07."

    once = documents.normalise_text(text)

    assert once == "«\u00a0Ça\u202fva\u00a0» – l’été…\nFin."
    assert documents.normalise_text(once) == once
    assert re.search(r"[\x00-\x08\x0b-\x1f\x7f]", once) is None
