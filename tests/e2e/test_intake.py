"""An analyst takes in a report in Chromium: pastes its text in the admin, opens its proposed attributions,
accepts three (one as evidence for a claim on file), and sees them highlighted on the report's page."""

import re

import pytest
from django.contrib.auth.models import Group, Permission

from claims import roles
from claims.models import Attribution, Claim
from sources.models import Report
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.e2e

# Written for this test: a title line, a "selon", a direct quote in « » with its speaker after it, a conditional
# after "d'après", a reporting verb with its subject. French typography: ’, « », non-breaking spaces.
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
PASSWORD = "test-pass-123"  # tests.factories.UserFactory's


@pytest.fixture(scope="module", autouse=True)
def _french_model():
    """spaCy's French model, loaded once for the module before the browser waits on a page that needs it
    (the live server answers from a thread of this process, so it uses the same one)."""
    from claims.extraction import nlp

    nlp()


@pytest.fixture
def on_file(transactional_db, live_server):
    """An analyst who can log in, and the claim on file that the report's first passage corroborates."""
    roles.sync_groups(Group, Permission)  # live-server tests flush the role groups
    analyst = UserFactory(username="ana", is_staff=True)
    analyst.groups.add(Group.objects.get(name=roles.ANALYSTS))
    return ClaimFactory(statement="Un drone Akinci de l’armée malienne a été abattu près de Tinzaouatène.")


def test_an_analyst_pastes_a_report_accepts_three_proposals_and_sees_them_on_its_page(
    page, live_server, on_file, screenshot
):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: "Content Security Policy" in message.text and errors.append(message.text))
    page.goto(f"{live_server.url}/accounts/login/?next=/admin/sources/report/add/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/sources/report/add/")

    page.get_by_label("Title").fill("Un drone turc abattu à la frontière algérienne")
    page.get_by_label("Outlet").fill("Le Monde")
    page.get_by_label("Published").fill("2025-04-02")
    page.get_by_label("Language").select_option("fr")
    page.locator("#id_body").fill(TEXT)  # as pasted
    screenshot("add-report-pasted", full_page=True)
    page.locator("input[name=_continue]").click()
    page.wait_for_url(re.compile(r".*/admin/sources/report/\d+/change/$"))
    report = Report.objects.get()
    assert report.body == TEXT  # pasted as it is, typography included

    page.get_by_role("link", name="Propose attributions").click()
    page.wait_for_url(f"**/admin/sources/report/{report.pk}/propose/")
    rows = {row.quote: number for number, row in enumerate(proposed_rows(page), 1)}
    army, quoted, hedged = (
        next(number for quote, number in rows.items() if words in quote)
        for words in ("Selon l’armée", "Nous n’avons", "aurait transmis")
    )
    for number in (army, quoted, hedged):
        page.get_by_label(f"Accept proposal {number}").check()
    page.locator(f"#proposal-{army}").get_by_label(re.compile(rf"evidence for #{on_file.pk}\b")).check()
    page.locator(f"#proposal-{hedged}").get_by_label("Reliability").select_option("D")
    screenshot("propose-attributions", full_page=True)
    page.get_by_role("button", name="Accept the ticked proposals").click()

    page.wait_for_url(f"**/admin/sources/report/{report.pk}/change/")
    assert page.get_by_text(f"3 attributions recorded (2 new claims, 1 as evidence for #{on_file.pk}).").is_visible()
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    highlights = page.locator("[data-annotated-body] [data-attribution-id]")
    assert highlights.count() == 3
    attributions = Attribution.objects.filter(report=report).select_related("claim")
    assert sorted(a.quote[:12] for a in attributions) == ["D’après une ", "Nous n’avons", "Selon l’armé"]
    assert attributions.get(claim=on_file).quote.startswith("Selon l’armée malienne")
    for attribution in attributions:
        assert page.locator(f'[data-attribution-id="{attribution.pk}"]').first.text_content() in TEXT
        assert page.locator(".report-claims").get_by_text(attribution.claim.statement).is_visible()
    assert Claim.objects.filter(created_by__username="ana").count() == 2
    screenshot("propose-attributions-recorded")
    assert errors == []


class Row:
    def __init__(self, quote: str):
        self.quote = quote


def proposed_rows(page) -> list[Row]:
    """The proposals listed on the page, in their order, by their quotes."""
    return [Row(quote) for quote in page.locator(".proposal-quote").all_text_contents()]
