"""The interface in English and French (issue 13, item 4): every template string translated, the catalogue complete
and compiled, and a French user able to do what an English one can.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.urls import reverse

from claims.models import Claim
from tests.factories import ClaimFactory, EntityFactory, make_claim_with_evidence
from tests.helpers import logged_in, page_text

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

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


def test_the_french_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert catalogue.percent_translated() == 100


def test_the_compiled_catalogue_matches_the_po_file():
    """`make compilemessages` was run after the last change to django.po (the .mo is committed)."""

    def messages(catalogue):
        return {
            (entry.msgctxt, entry.msgid, entry.msgid_plural): (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
            for entry in catalogue
            if not entry.obsolete and "fuzzy" not in entry.flags
        }

    assert messages(polib.mofile(str(MO))) == messages(polib.pofile(str(PO)))


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
