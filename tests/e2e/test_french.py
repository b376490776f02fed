"""A French user in a real browser: what our scripts write is French too (the graph's table and summary, the menu's
review badge, the admin's similar claims), read from the JavaScript catalogue the page names (/jsi18n/); the same
pages stay English for an English user, and a script whose catalogue did not load falls back to English."""

import re

import pytest
from django.conf import settings

from claims.models import Claim
from tests.factories import ClaimFactory, make_claim_with_evidence

pytestmark = pytest.mark.e2e

READY = '[data-graph][data-graph-ready="true"]'
BADGE = "[data-review-count]:not([hidden])"

WORDING = {
    "fr": {
        "caption": "Liens du graphe",
        "columns": ["De", "Lien", "Vers"],
        "claim": "affirmation",
        "summary": r"\d+ affirmations?, \d+ sources?, \d+ rapports?, \d+ entités?; \d+ liens?\.",
        "badge": "1 attend votre relecture",
    },
    "en": {
        "caption": "Links in the graph",
        "columns": ["From", "Link", "To"],
        "claim": "claim",
        "summary": r"\d+ claims?, \d+ sources?, \d+ reports?, \d+ entit(y|ies); \d+ links?\.",
        "badge": "1 awaiting your review",
    },
}


def in_language(page, live_server, language: str):
    """The language switch's cookie, as the menu's switch sets it."""
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    return page


def page_errors(page) -> list[str]:
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def in_review(analyst):
    """A claim an analyst submitted, with two attributions: the reviewer's one claim awaiting review."""
    return make_claim_with_evidence(status=Claim.Status.IN_REVIEW, created_by=analyst, updated_by=analyst)


def read_graph_and_badge(page) -> dict:
    page.wait_for_selector(READY, timeout=20_000)
    page.wait_for_selector(BADGE)
    table = page.locator(".graph-table")
    return {
        "caption": table.locator("caption").inner_text(),
        "columns": table.locator("thead th").all_inner_texts(),
        "cell label": table.locator("tbody td").first.get_attribute("data-label"),
        "kinds": set(table.locator(".node-kind").all_inner_texts()),
        "summary": page.locator("[data-graph-status]").inner_text(),
        "badge": page.get_attribute(BADGE, "aria-label"),
        "badge title": page.get_attribute(BADGE, "title"),
    }


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_graph_and_the_review_badge_read_in_the_users_language(
    signed_in, live_server, reviewer, in_review, language
):
    page = in_language(signed_in(reviewer), live_server, language)
    errors = page_errors(page)
    words = WORDING[language]

    page.goto(f"/claims/{in_review.pk}/")

    shown = read_graph_and_badge(page)
    assert shown["caption"] == words["caption"]  # the claim page leaves the table to the script
    assert shown["columns"] == words["columns"] and shown["cell label"] == words["columns"][0]
    assert words["claim"] in shown["kinds"]
    assert re.fullmatch(words["summary"], shown["summary"]), shown["summary"]
    assert shown["badge"] == shown["badge title"] == words["badge"]
    assert errors == []


def test_without_the_catalogue_the_scripts_write_english_and_break_nothing(signed_in, live_server, reviewer, in_review):
    page = in_language(signed_in(reviewer), live_server, "fr")
    errors = page_errors(page)
    page.route("**/jsi18n/**", lambda route: route.abort())

    page.goto(f"/claims/{in_review.pk}/")

    shown = read_graph_and_badge(page)
    assert shown["caption"] == "Links in the graph" and shown["badge"] == "1 awaiting your review"
    assert page.locator("h2#graph-title").inner_text() == "Graphe"  # the page itself is still French
    assert errors == []


def test_the_admins_similar_claims_read_in_french(signed_in, live_server, analyst):
    arrived = ClaimFactory(statement="Turkish drones arrived in Mali at the end of 2022.", status=Claim.Status.VETTED)
    page = in_language(signed_in(analyst), live_server, "fr")
    errors = page_errors(page)
    page.goto("/admin/claims/claim/add/")
    assert page.locator("label[for=id_statement]").inner_text().startswith("Énoncé")

    page.locator("#id_statement").fill("Turkish drones arrived in Mali, very discreetly, at the end of 2022.")

    similar = page.locator(".similar-live")
    similar.get_by_role("link", name=f"#{arrived.pk} {arrived.statement}").wait_for()
    assert similar.locator("p").inner_text() == (
        "Affirmations similaires (si c'est l'une d'elles, ajoutez-y l'élément de preuve) :"
    )
    assert similar.locator(".similar-live-status").first.inner_text() == "validée"
    assert errors == []
