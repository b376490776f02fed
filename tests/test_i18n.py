"""The interface in English and French (issue 13): every template string translated, what our scripts write and
the models' field labels too, the catalogues complete and compiled, and a French user able to do what an English
one can. The API's data and errors stay English (`ReadOnlyApiViewSet.dispatch`).
"""

import json
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template.base import Lexer, TokenType
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from claims import graph
from claims.models import Claim, ClaimRelation
from sources.models import ReportDerivation
from tests.adminforms import form_data
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EntityFactory,
    ReportFactory,
    SourceFactory,
    make_claim_with_evidence,
)
from tests.helpers import change_url, logged_in, page_text

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SCRIPTS = Path(settings.BASE_DIR) / "static" / "js"  # ours; static/vendor is not
PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
JS_PO = PO.with_name("djangojs.po")  # static/js's strings, served by /jsi18n/ (claimtracker/urls.py)
CATALOGUES = pytest.mark.parametrize("po", [PO, JS_PO], ids=lambda path: path.name)

# What a reader sees without being a sentence of ours: the product's name, and marks.
NOT_WORDS = {"claimtracker"}
# Attributes read out or shown to people; the others (class, href, id, data-*) are markup.
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm", "data-label")
PLACEHOLDER = "\x00"  # stands for a {{ variable }} or {% tag %} that is not a translation


def untranslated_strings(source: str) -> list[str]:
    """The text of a template that a user sees and that no {% translate %} or {% blocktranslate %} wraps.

    Django's own lexer splits the template; text inside blocktranslate, comments, <code>, <pre>, <script> and
    <style> is left out; tags and attribute names are markup, but the attributes people read (title, aria-label,
    placeholder...) count, as do the string literals handed to an `include ... with` or `|default:`.
    """
    text, depth, skip = [], 0, 0
    found = []
    source = re.sub(r"\{% block main_class %\}.*?\{% endblock %\}", "", source)  # CSS classes, not text
    for token in Lexer(source).tokenize():
        content = token.contents
        if token.token_type == TokenType.BLOCK:
            name = content.split(" ", 1)[0]
            if name in ("blocktranslate", "blocktrans"):
                depth += 1
            elif name in ("endblocktranslate", "endblocktrans"):
                depth -= 1
            elif name == "comment":
                skip += 1
            elif name == "endcomment":
                skip -= 1
            elif name in ("include", "with") and not depth:
                found += [
                    literal
                    for literal in re.findall(r'="([^"]*)"', content)
                    if _is_sentence(literal) and not re.fullmatch(r"[a-z_]+", literal)  # not a code like "claim"
                ]
            text.append(PLACEHOLDER)
        elif token.token_type == TokenType.VAR:
            found += [
                literal for literal in re.findall(r'default:"([^"]*)"', content) if _is_sentence(literal) and not depth
            ]
            text.append(PLACEHOLDER)
        elif token.token_type == TokenType.TEXT and not depth and not skip:
            text.append(content)
        else:
            text.append(PLACEHOLDER)
    markup = "".join(text)
    markup = re.sub(r"<!--.*?-->", " ", markup, flags=re.S)
    markup = re.sub(r"<(code|pre|script|style)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    for attribute in SHOWN_ATTRIBUTES:
        found += [value for value in re.findall(rf'\s{attribute}="([^"]*)"', markup) if _is_sentence(value)]
    markup = re.sub(r"<[^>]*>", PLACEHOLDER, markup)
    markup = re.sub(r"&[a-z]+;|&#\d+;", " ", markup)
    found += [piece.strip() for piece in markup.split(PLACEHOLDER) if _is_sentence(piece)]
    return found


def _is_sentence(text: str) -> bool:
    """Letters a reader would read: not a code, a path, an id or the product's name."""
    words = re.findall(r"[^\W\d_]{2,}", text.replace(PLACEHOLDER, " "))
    return any(word.lower() not in NOT_WORDS and not word.isupper() for word in words) and not re.fullmatch(
        r"[\w./:-]+\.(html|js)", text
    )


def all_templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_no_template_has_a_comment_on_several_lines():
    """`{# #}` ends at the line's end: one spread over lines is shown on the page as text."""
    assert [str(path) for path in all_templates() if re.search(r"\{#[^\n]*\n", _without_tags(path))] == []


def _without_tags(path: Path) -> str:
    return re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"))


def test_the_checker_sees_text_left_in_english():
    template = (
        '{% load i18n %}<h1 title="A title">Claims</h1><p>{% translate "Done" %}</p>'
        "{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}"
        '<a href="/x/" class="nav">{{ x|default:"not judged" }}</a><code>curl</code>{# a comment #}'
    )
    assert untranslated_strings(template) == ["not judged", "A title", "Claims"]


@pytest.mark.parametrize("path", all_templates(), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_every_template_string_is_translated(path):
    assert untranslated_strings(path.read_text(encoding="utf-8")) == []


@CATALOGUES
def test_the_french_catalogue_is_complete(po):
    catalogue = polib.pofile(str(po))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert catalogue.percent_translated() == 100


@CATALOGUES
def test_the_compiled_catalogue_matches_the_po_file(po):
    """`make compilemessages` was run after the last change to django.po (the .mo is committed)."""

    def messages(catalogue):
        return {
            (entry.msgctxt, entry.msgid, entry.msgid_plural): (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
            for entry in catalogue
            if not entry.obsolete and "fuzzy" not in entry.flags
        }

    assert messages(polib.mofile(str(po.with_suffix(".mo")))) == messages(polib.pofile(str(po)))


# What our scripts write ------------------------------------------------------------------------------------------

# gettext("…") and ngettext("…", "…", n) in a script: what `make messages` collects into djangojs.po.
SCRIPT_MESSAGE = re.compile(r'\b(n?gettext)\(\s*("(?:[^"\\]|\\.)*")(?:\s*,\s*("(?:[^"\\]|\\.)*"))?')
# Where a script puts text before people: into the page, into the attributes read out, into an error shown.
SHOWN_BY_SCRIPT = re.compile(
    r"\.(?:textContent|innerText|innerHTML|title|placeholder|alt)\s*=(?!=)"
    r'|\.setAttribute\(\s*"(?:aria-label|title|placeholder|alt|data-label|data-confirm)"\s*,'
    r"|\b(?:Error|confirm|alert|prompt)\("
)
# A string a statement compares with, or that names what to read (an attribute, an element): not shown.
NOT_SHOWN = re.compile(r"""(?:[!=]==?\s*|\.(?:getAttribute|querySelector|getElementById|closest)\(\s*)(["']).*?\1""")
STRING = re.compile(r"""(["'])((?:(?!\1)[^\\\n]|\\.)*)\1""")


def all_scripts() -> list[Path]:
    return sorted(SCRIPTS.glob("*.js"))


def script_messages(source: str) -> set[tuple[str, str | None]]:
    """The (msgid, msgid_plural) pairs a script asks the catalogue for."""
    return {
        (json.loads(singular), json.loads(plural) if plural else None)
        for _, singular, plural in SCRIPT_MESSAGE.findall(source)
    }


def english_shown_by_script(source: str) -> list[str]:
    """The string literals a script shows people without passing them through gettext() or ngettext(): those in
    the statement that writes text into the page (or an attribute read out, or an error), once the strings of
    gettext() calls are taken out."""
    source = SCRIPT_MESSAGE.sub(lambda match: match[1] + "(", source)
    found = []
    for match in SHOWN_BY_SCRIPT.finditer(source):
        statement = NOT_SHOWN.sub("", source[match.end() :].split(";", 1)[0])
        found += [literal for _, literal in STRING.findall(statement) if re.search(r"[^\W\d_]{2,}", literal)]
    return found


def test_the_script_checker_sees_english_left_in_a_script():
    source = """
      a.textContent = "Loaded.";
      b.setAttribute("aria-label", count + " to rework");
      c.title = ready ? gettext("Ready; go") : 'Not ready';
      throw new Error(body.error || "The graph could not be loaded");
      d.textContent = gettext("Fine") + " " + ngettext("%(n)s link", "%(n)s links", n);
      e.className = "graph-live"; f.setAttribute("data-graph-ready", "true"); if (g.title === "x") {}
      i.textContent = kind === "statement" ? gettext("Similar") : gettext("Also about");
      h.placeholder = t("Type to find"); j.title = j.getAttribute("aria-label");
    """
    assert english_shown_by_script(source) == [
        "Loaded.",
        " to rework",
        "Not ready",
        "The graph could not be loaded",
        "Type to find",  # a wrapper of its own: `make messages` would not collect it
    ]
    assert script_messages(source) == {
        ("Ready; go", None),
        ("Fine", None),
        ("%(n)s link", "%(n)s links"),
        ("Similar", None),
        ("Also about", None),
    }


@pytest.mark.parametrize("path", all_scripts(), ids=lambda path: path.name)
def test_every_script_shows_its_text_through_gettext(path):
    assert english_shown_by_script(path.read_text(encoding="utf-8")) == []


def test_every_string_our_scripts_ask_for_is_translated_in_french():
    """A gettext("…") added to a script without `make messages` and a translation would show English."""
    asked = set().union(*(script_messages(path.read_text(encoding="utf-8")) for path in all_scripts()))
    catalogue = {(entry.msgid, entry.msgid_plural or None): entry for entry in polib.pofile(str(JS_PO))}
    assert {("Links in the graph", None), ("%(count)s to rework", "%(count)s to rework")} <= asked
    assert sorted(message for message in asked if not (message in catalogue and catalogue[message].translated())) == []


def catalogue_url(response) -> str:
    return re.search(r'<script src="(/jsi18n/[^"]+)"', response.content.decode())[1]


def test_every_page_loads_the_javascript_catalogue_of_its_language_before_our_scripts(reviewer):
    client = logged_in(reviewer)
    english, french = client.get(reverse("overview")), client.get(reverse("overview"), **FRENCH)
    assert catalogue_url(english) == reverse("javascript_catalog", args=["en"])
    assert catalogue_url(french) == reverse("javascript_catalog", args=["fr"])
    text = page_text(french)
    assert text.index("/jsi18n/") < text.index("js/confirm.js") < text.index("js/menu.js")


def test_the_javascript_catalogue_is_the_french_one_for_a_french_page_and_runs_no_query(
    reviewer, django_assert_num_queries
):
    client = logged_in(reviewer)  # whose own language is English: the catalogue's URL names the language
    url = catalogue_url(client.get(reverse("overview"), **FRENCH))
    with django_assert_num_queries(0):
        french = client.get(url)
    assert french.status_code == 200 and french["Content-Type"].startswith("text/javascript")
    assert french["Content-Language"] == "fr"
    body = french.content.decode()
    assert '"Liens du graphe"' in body and "attendent votre relecture" in body
    english = client.get(reverse("javascript_catalog", args=["en"])).content.decode()
    assert "Liens du graphe" not in english and "django.gettext" in english


def test_browsers_keep_the_javascript_catalogue_and_the_server_answers_a_revalidation_with_304(client):
    """Anyone may fetch it (the login page names it too), and it is the same for everyone: cached a year."""
    url = reverse("javascript_catalog", args=["fr"])
    response = client.get(url)
    assert response.status_code == 200
    assert {"public", "immutable", "max-age=31536000"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(reverse("javascript_catalog", args=["xx"])).status_code == 404


def test_the_admins_javascript_catalogue_holds_the_strings_of_our_admin_scripts(analyst):
    """Django's change form loads admin:jsi18n, which merges locale/'s djangojs.mo: admin-similar-claims.js reads
    its strings there."""
    body = logged_in(analyst).get(reverse("admin:jsi18n"), **FRENCH).content.decode()
    assert "Affirmations similaires (si c'est l'une d'elles" in body
    change_form = page_text(logged_in(analyst).get(reverse("admin:claims_claim_add")))
    assert f'src="{reverse("admin:jsi18n")}"' in change_form


@pytest.mark.parametrize("name", ["overview", "claim_list", "graph"])
def test_a_page_runs_no_query_more_in_french(name, reviewer, evidence):
    client = logged_in(reviewer)
    counts = {}
    for language, headers in (("en", {}), ("fr", FRENCH)):
        cache.clear()  # both rendered from scratch
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name), **headers).status_code == 200
        counts[language] = len(queries)
    assert counts["fr"] == counts["en"]


# The models' fields and the services' refusals -----------------------------------------------------------------


def test_the_admin_labels_a_claims_fields_in_french_with_the_language_cookie(analyst):
    client = logged_in(analyst)
    english = page_text(client.get(reverse("admin:claims_claim_add")))
    assert ">Statement:</label>" in english and ">Original wording:</label>" in english
    assert ">Énoncé" not in english

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = page_text(client.get(reverse("admin:claims_claim_add")))
    for label in ("Énoncé", "Formulation d'origine", "Type", "Vraisemblance", "Confiance", "Entités"):
        assert f">{label}\u00a0:</label>" in french or f">{label} :</label>" in french, label
    assert ">Statement:</label>" not in french


def test_the_admin_labels_a_reports_and_a_sources_fields_in_french(analyst):
    client = logged_in(analyst)
    report = page_text(client.get(reverse("admin:sources_report_add"), **FRENCH))
    source = page_text(client.get(reverse("admin:sources_source_add"), **FRENCH))
    assert "Titre" in report and "Média" in report and ">Title" not in report and ">Outlet" not in report
    assert "Libellé" in source and "Fiabilité" in source and ">Label" not in source


def test_a_refusal_of_the_services_reads_in_french_in_the_admin(analyst):
    """report_reanchoring refuses a text that loses a quote; the French analyst reads why in French."""
    attribution = AttributionFactory()
    client = logged_in(analyst)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    data = form_data(client.get(change_url(attribution.report)))
    data["body"] = data["body"].replace(attribution.quote, "les drones sont là")

    text = page_text(client.post(change_url(attribution.report), data))

    assert f"Le nouveau texte ne contient plus la citation de l'affirmation #{attribution.claim_id}" in text
    assert "no longer contains" not in text


# The workflow's refusals, the models' validation, the admin's messages, the graph's words -------------------

FOUR_EYES_FR = (
    "Principe des quatre yeux : une affirmation ne peut pas être validée ou rejetée par quelqu'un qui l'a rédigée"
)


def test_the_review_box_says_in_french_why_a_reviewer_may_not_vet_a_claim_they_drafted(reviewer):
    claim = ClaimFactory(created_by=reviewer, updated_by=reviewer, status=Claim.Status.IN_REVIEW)
    client = logged_in(reviewer)
    page, admin_page = reverse("claim_detail", args=[claim.pk]), change_url(claim)

    english = page_text(client.get(page))
    french, french_admin = page_text(client.get(page, **FRENCH)), page_text(client.get(admin_page, **FRENCH))

    assert "Vet: Four eyes: a claim cannot be vetted or rejected by someone who drafted it" in english
    for text in (french, french_admin):
        assert f"Valider : {FOUR_EYES_FR}" in text and f"Rejeter : {FOUR_EYES_FR}" in text  # French: a space before
        assert "Four eyes" not in text


def test_the_admin_says_in_french_what_it_vetted_and_why_it_refused_the_rest(reviewer, analyst):
    theirs = ClaimFactory(created_by=analyst, updated_by=analyst, status=Claim.Status.IN_REVIEW)
    own = ClaimFactory(created_by=reviewer, updated_by=reviewer, status=Claim.Status.IN_REVIEW)

    response = logged_in(reviewer).post(
        reverse("admin:claims_claim_changelist"),
        {"action": "vet_claims", "_selected_action": [theirs.pk, own.pk]},
        follow=True,
        **FRENCH,
    )

    text = page_text(response)
    assert "1 affirmation(s) validée(s)." in text
    assert f"#{own.pk} : {FOUR_EYES_FR}" in text
    assert "claim(s) vetted" not in text and "Four eyes" not in text
    assert Claim.objects.get(pk=theirs.pk).status == Claim.Status.VETTED
    assert Claim.objects.get(pk=own.pk).status == Claim.Status.IN_REVIEW


def test_the_admin_refuses_a_date_without_its_precision_in_french(analyst):
    """The model's constraint, reported by the admin form before the database sees it."""
    claim = ClaimFactory(created_by=analyst, updated_by=analyst)
    client = logged_in(analyst)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    data = form_data(client.get(change_url(claim)))
    data.update(about_date="2025-04-01", about_precision="")

    response = client.post(change_url(claim), data)

    text = page_text(response)
    assert response.status_code == 200  # the form again, with the error
    assert "Une date demande sa précision, et une précision demande une date." in text
    assert "A date needs its precision" not in text
    assert Claim.objects.get(pk=claim.pk).about_date is None


def test_the_report_admin_explains_its_text_and_original_file_in_french(analyst):
    client = logged_in(analyst)

    change = page_text(client.get(change_url(ReportFactory()), **FRENCH))  # typed in: no file
    add = page_text(client.get(reverse("admin:sources_report_add"), **FRENCH))

    assert "Aucun : le texte a été collé, saisi ou chargé." in change
    assert "None: the text was pasted" not in change
    # The limit written as French writes numbers, not "1,000,000".
    assert re.search(r"Collez ici le texte du rapport, ou téléversez-le ci-dessous \(1\s000\s000 caractères", add)
    assert "5 Mo au plus" in add and "Paste the report's text" not in add and "1,000,000" not in add


@pytest.fixture
def linked(db):
    """A vetted claim said, hedged, by an officer who speaks for an army and is recorded again under another
    label, in a report that relays another; a second vetted claim refines it."""
    army = SourceFactory(label="Malian army")
    officer = SourceFactory(label="un officier malien", member_of=army)
    again = SourceFactory(label="l'officier précité", same_as=officer)
    wire, relay = ReportFactory(outlet="Reuters"), ReportFactory(outlet="Site")
    derivation = ReportDerivation(report=relay, original=wire, kind=ReportDerivation.Kind.RELAYS)
    derivation.full_clean()
    derivation.save()
    claim = ClaimFactory(status=Claim.Status.VETTED)
    AttributionFactory(claim=claim, source=officer, report=wire, hedged=True)
    AttributionFactory(claim=claim, source=again, report=relay)
    refining = ClaimFactory(status=Claim.Status.VETTED)
    ClaimRelationFactory(from_claim=refining, to_claim=claim, kind=ClaimRelation.Kind.REFINES)
    return claim


def test_the_graph_page_lists_its_links_and_what_they_join_in_french(reviewer, linked):
    text = page_text(logged_in(reviewer).get(reverse("graph"), **FRENCH))

    for link in ("appuie, au conditionnel", "appuie", "rapportée dans", "relaie", "précise", "même locuteur que"):
        assert f">{link}</td>" in text, link
    assert ">membre de</td>" in text
    for kind in ("affirmation", "source", "rapport"):
        assert f'<span class="node-kind">{kind}</span>' in text, kind
    for english in ("supports, hedged", ">reported in<", ">relays<", ">refines<", ">member of<", ">claim</span>"):
        assert english not in text, english


def test_the_graph_data_follows_the_readers_language_while_the_api_stays_english(reviewer, consumer, linked):
    """/graph/data/ belongs to a page (reviewers read it) and is drawn once per language; the API is data."""
    url = f"{reverse('graph_data')}?focus=claim:{linked.pk}"
    as_reviewer = logged_in(reviewer)

    def link_texts(response) -> set[str]:
        return {edge["data"]["text"] for edge in response.json()["elements"]["edges"]}

    english, french = link_texts(as_reviewer.get(url)), link_texts(as_reviewer.get(url, **FRENCH))

    assert {"supports, hedged", "reported in", "refines"} <= english
    assert {"appuie, au conditionnel", "rapportée dans", "précise"} <= french
    assert not english & {"appuie, au conditionnel", "rapportée dans", "précise"}
    api = f"/api/v1/claims/{linked.pk}/"
    as_consumer = logged_in(consumer)
    assert as_consumer.get(api, **FRENCH).content == as_consumer.get(api).content
    assert as_consumer.get(api, **FRENCH).json()["relations"][0]["kind"] == "refines"


def test_the_graphs_notices_read_in_french(reviewer, linked):
    client = logged_in(reviewer)

    missing = client.get(reverse("graph_data"), {"focus": "report:999999"}, **FRENCH)
    backwards = client.get(
        reverse("graph_data"), {"published_after": "2025-05-01", "published_before": "2025-04-01"}, **FRENCH
    )
    page = page_text(client.get(reverse("graph"), {"focus": "planet:3"}, **FRENCH))
    ClaimFactory()
    with translation.override("fr"):
        truncated = graph.build(user=reviewer, limit=2)  # of three claims

    assert missing.status_code == 404 and missing.json()["error"] == "Aucun rapport #999999 que vous puissiez voir."
    assert backwards.json()["error"] == (
        "Paramètres incorrects : published: La date de début est postérieure à la date de fin."
    )
    assert "Indiquez sur quoi centrer le graphe sous la forme claim:<id>" in page
    assert truncated["notice"].startswith("Plus de 2 affirmations correspondent : le graphe en montre 2.")


# End to end: a French user does what an English one can.
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


@pytest.fixture
def evidence(db):
    """A few claims with their sources, reports and an entity: every index page has rows to show."""
    entity = EntityFactory()
    for status in (Claim.Status.VETTED, Claim.Status.IN_REVIEW, Claim.Status.DRAFT):
        make_claim_with_evidence(status=status).entities.add(entity)


def test_the_claims_page_is_in_french_for_a_french_browser(reviewer, evidence):
    text = page_text(logged_in(reviewer).get(reverse("claim_list"), **FRENCH))
    assert "<h1>Affirmations</h1>" in text
    assert "Type de source" in text and "Fiabilité de la source au moins égale à" in text  # the filter's labels
    assert "Appliquer" in text and ">Apply<" not in text
    assert '<html lang="fr">' in text


def test_the_menu_switches_the_language_and_it_stays_switched(reviewer):
    client = logged_in(reviewer)
    assert ">Claims</a>" in page_text(client.get(reverse("overview")))
    response = client.post(reverse("set_language"), {"language": "fr", "next": reverse("claim_list")})
    assert response.status_code == 302 and response["Location"] == reverse("claim_list")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    text = page_text(client.get(reverse("overview")))
    assert ">Affirmations</a>" in text and "Vue d'ensemble" in text
    assert 'name="language" value="en"' in text  # and the way back to English

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert ">Claims</a>" in page_text(client.get(reverse("overview")))


def test_the_language_switch_is_on_the_login_page_too(client):
    text = page_text(client.get(reverse("login")))
    assert 'action="/i18n/setlang/"' in text and 'value="fr"' in text
    assert "Nom d'utilisateur" in page_text(client.get(reverse("login"), **FRENCH))


def test_the_admin_names_our_models_in_french(analyst):
    text = page_text(logged_in(analyst).get(reverse("admin:index"), **FRENCH))
    assert "Affirmations" in text and "Rapports" in text and "Sources" in text
    assert "Rapports, sources, affirmations et leurs éléments de preuve" in text


def test_the_api_docs_describe_the_api_in_french(consumer):
    client = logged_in(consumer)
    english = client.get(reverse("api-schema"), {"format": "json"}).json()
    french = client.get(reverse("api-schema"), {"format": "json"}, **FRENCH).json()
    assert english["info"]["description"].startswith("Vetted claims with their attributions")
    assert french["info"]["description"].startswith("Affirmations validées avec leurs attributions")
    parameters = {p["name"]: p.get("description", "") for p in french["paths"]["/api/v1/claims/"]["get"]["parameters"]}
    assert parameters["likelihood"].startswith("Vraisemblance ICD 203")


def test_a_claim_is_submitted_and_vetted_in_french(analyst, reviewer):
    claim = ClaimFactory(created_by=analyst, updated_by=analyst)
    as_analyst, as_reviewer = logged_in(analyst), logged_in(reviewer)
    page = page_text(as_analyst.get(reverse("claim_detail", args=[claim.pk]), **FRENCH))
    assert "Relecture : Brouillon" in page and ">Soumettre à la relecture</button>" in page

    as_analyst.post(reverse("claim_review", args=[claim.pk]), {"action": "submit", "loaded_version": claim.version})
    claim.refresh_from_db()
    page = page_text(as_reviewer.get(reverse("claim_detail", args=[claim.pk]), **FRENCH))
    assert "Relecture : En relecture" in page and ">Valider</button>" in page and ">Rejeter</button>" in page

    response = as_reviewer.post(
        reverse("claim_review", args=[claim.pk]),
        {"action": "vet", "comment": "Vérifiée.", "loaded_version": claim.version},
        follow=True,
        **FRENCH,
    )
    assert f"L'affirmation #{claim.pk} est désormais validée." in page_text(response)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VETTED


@pytest.mark.parametrize(
    "name", ["overview", "claim_list", "review_queue", "report_list", "source_list", "entity_list"]
)
def test_every_index_page_reads_in_french(name, reviewer, evidence):
    text = page_text(logged_in(reviewer).get(reverse(name), **FRENCH))
    assert "Vue d'ensemble" in text and "Se déconnecter" in text
    for english in (">Overview<", ">Log out<", ">Apply<", ">Previous<", "No claims.", "Review queue"):
        assert english not in text


def test_the_api_docs_page_has_the_menu_in_french(consumer):
    text = page_text(logged_in(consumer).get(reverse("api-docs"), **FRENCH))
    assert "Se déconnecter" in text and "Jeton d'API" in text
    assert 'name="language" value="en"' in text and 'name="language" value="fr"' not in text


def test_a_quote_that_is_not_in_the_report_is_refused_in_the_readers_language():
    from claims.anchoring import QuoteNotFound, anchor_quote

    for language, expected in [
        ("en", "The quote does not occur in the report's text."),
        ("fr", "La citation ne figure pas dans le texte du rapport."),
    ]:
        with translation.override(language), pytest.raises(QuoteNotFound) as refused:
            anchor_quote("Le ministre affirme que la route est ouverte.", "un officier dément", None, None)
        assert str(refused.value) == expected
    with translation.override("fr"), pytest.raises(QuoteNotFound) as refused:
        anchor_quote("abc", "abc", 2, 9)
    assert str(refused.value) == "Les positions 2–9 sont hors du texte du rapport (0–3)."


def test_a_save_refused_because_someone_else_changed_the_row_says_so_in_the_readers_language(db):
    from claimtracker.versioning import StaleEdit
    from tests.factories import SourceFactory

    source, claim = SourceFactory(), ClaimFactory()

    with translation.override("fr"):
        changed = str(StaleEdit(source, ["affiliation"], ["ana2"]))
        deleted = str(StaleEdit(claim, [], [], deleted=True))
    with translation.override("en"):
        english = str(StaleEdit(source, ["affiliation"], ["ana2"]))

    assert changed.startswith("Quelqu’un d’autre a modifié cette source depuis que vous l’avez ouvert (ana2 a modifié")
    assert deleted.startswith(f"Quelqu’un d’autre a supprimé l’affirmation n° {claim.pk} depuis")
    assert english.startswith("Someone else changed this source since you opened it (ana2 changed affiliation)")
