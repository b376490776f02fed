"""The claims filter's lookups in a real browser: type a few letters of an entity or a report, pick one with
the keyboard or the mouse, apply, and the list is filtered by it (issue 14: the filter no longer lists every
entity and report, so this is how a reviewer chooses one)."""

import pytest

from tests.e2e.conftest import SCREENSHOTS
from tests.factories import AttributionFactory, ClaimFactory, EntityFactory, ReportFactory

pytestmark = pytest.mark.e2e


def test_a_reviewer_finds_an_entity_and_a_report_by_typing_and_filters_the_claims_by_them(signed_in, reviewer):
    goita = EntityFactory(name="Assimi Goïta")
    EntityFactory(name="Sadio Camara")
    report = ReportFactory(title="Drones turcs au Sahel", outlet="Le Monde")
    about_goita = ClaimFactory(statement="The colonel met the Turkish envoy.")
    about_goita.entities.add(goita)
    AttributionFactory(claim=about_goita, report=report)
    elsewhere = ClaimFactory(statement="An unrelated claim.")
    AttributionFactory(claim=elsewhere, report=ReportFactory(title="Other"))
    problems = []
    page = signed_in(reviewer)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.goto("/claims/")

    entity_box = page.locator(".field-entity .lookup-box")
    entity_box.fill("goita")
    page.locator(".field-entity .lookup-results li", has_text="Assimi Goïta").wait_for()
    entity_box.press("ArrowDown")
    page.keyboard.press("Enter")
    report_box = page.locator(".field-report .lookup-box")
    report_box.fill("drones")
    page.locator(".field-report .lookup-results li", has_text="Drones turcs au Sahel").wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "claims-filter-lookups.png"))
    page.locator(".field-report .lookup-results li", has_text="Drones turcs au Sahel").click()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"**/claims/?*entity={goita.pk}*")

    assert f"report={report.pk}" in page.url
    assert page.locator(".claims-table tbody tr").count() == 1
    assert "The colonel met the Turkish envoy." in page.inner_text(".claims-table")
    assert page.locator(".field-entity select option[selected], .field-entity select option:checked").count() >= 1
    assert problems == []


def test_escape_closes_the_results_and_enter_in_the_box_picks_the_first(signed_in, reviewer):
    EntityFactory(name="Kidal")
    EntityFactory(name="Kidal region")
    page = signed_in(reviewer)
    page.goto("/claims/")

    box = page.locator(".field-entity .lookup-box")
    box.fill("kidal")
    results = page.locator(".field-entity .lookup-results li")
    results.first.wait_for()
    assert results.count() == 2
    box.press("Escape")
    assert page.locator(".field-entity .lookup-results").is_hidden()
    box.fill("kidal r")
    page.locator(".field-entity .lookup-results li", has_text="Kidal region").wait_for()
    box.press("Enter")

    assert page.locator(".field-entity select option:checked").all_inner_texts() == ["Kidal region"]
    assert "/claims/" in page.url and "entity=" not in page.url  # Enter picked; it did not submit the filter
