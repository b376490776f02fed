"""A reviewer reads the demo article in a real browser: highlights, pop-overs, sources, a contradiction."""

import pytest

from claims.models import Attribution, Claim, ClaimRelation
from sources.models import Report, Source

pytestmark = pytest.mark.e2e

BODY = "[data-annotated-body]"
HIGHLIGHTS = "[data-annotated-body] [data-attribution-id]"


def article() -> Report:
    return Report.objects.get(title__startswith="La Turquie")


def test_anonymous_visitors_land_on_the_login_page(page, demo_site):
    page.goto(f"{demo_site.url}/sources/")

    assert page.url == f"{demo_site.url}/accounts/login/?next=/sources/"
    assert page.get_by_role("heading", name="Log in").is_visible()


def test_a_reviewer_logs_in_and_sees_the_overview(as_reviewer, screenshot):
    page = as_reviewer

    assert page.get_by_role("heading", name="Overview").is_visible()
    assert page.get_by_role("heading", name="Claims by source kind").is_visible()
    screenshot("overview", full_page=True)


def test_the_annotated_article_highlights_every_attribution_and_reads_exactly_as_its_body(
    as_reviewer, demo_site, screenshot
):
    page, report = as_reviewer, article()

    page.goto(f"{demo_site.url}/reports/{report.pk}/")

    assert page.locator(HIGHLIGHTS).count() == report.attributions.count()
    assert page.locator(BODY).inner_text() == report.body
    assert page.locator(BODY).text_content() == report.body
    screenshot("annotated-report")


def test_clicking_a_highlight_shows_its_source_and_grade(as_reviewer, demo_site, screenshot):
    page, report = as_reviewer, article()
    estimate = Attribution.objects.select_related("source").get(report=report, source__kind=Source.Kind.ESTIMATE)
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(f"{demo_site.url}/reports/{report.pk}/")
    popover = page.locator("#attribution-popover")
    assert popover.is_hidden()

    page.locator(f'[data-attribution-id="{estimate.pk}"]').click()

    assert popover.is_visible()
    assert estimate.source.label in popover.inner_text()
    assert estimate.grade in popover.inner_text()
    assert popover.get_by_role("link", name=estimate.claim.statement[:40]).count() == 1
    screenshot("annotated-report-popover")

    page.keyboard.press("Escape")
    assert popover.is_hidden()
    assert errors == []


def test_a_highlight_reached_with_the_keyboard_shows_its_details(as_reviewer, demo_site):
    page, report = as_reviewer, article()
    first = Attribution.objects.for_report(report).first()
    page.goto(f"{demo_site.url}/reports/{report.pk}/")

    page.locator(f'[data-attribution-id="{first.pk}"]').focus()

    assert page.locator("#attribution-popover").is_visible()
    assert first.grade in page.locator("#attribution-popover").inner_text()


def test_the_annotated_article_is_readable_without_javascript(browser, demo_site, screenshot):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{demo_site.url}/accounts/login/")
    page.get_by_label("Username").fill("reviewer")
    page.get_by_label("Password").fill("reviewer-demo-pass")
    page.get_by_role("button", name="Log in").click()
    report = article()
    page.goto(f"{demo_site.url}/reports/{report.pk}/")

    entries = page.locator(".report-claims .attribution")
    assert entries.count() == report.attributions.count()
    assert page.locator(BODY).inner_text() == report.body
    assert page.locator("#attribution-popover").is_hidden()
    context.close()


def test_the_sources_page_lists_every_kind_of_source_in_the_demo(as_reviewer, demo_site, screenshot):
    page = as_reviewer

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sources").click()

    kinds = set(Source.objects.values_list("kind", flat=True))
    assert len(kinds) == len(Source.Kind.values)
    for kind in kinds:
        assert page.get_by_role("heading", name=Source.Kind(kind).label, exact=True).is_visible()
    screenshot("sources", full_page=True)


def test_a_claim_page_shows_the_claim_it_contradicts_and_links_to_it(as_reviewer, demo_site, screenshot):
    page = as_reviewer
    relation = ClaimRelation.objects.select_related("from_claim", "to_claim").get(kind=ClaimRelation.Kind.CONTRADICTS)
    rivalry, complementary = relation.from_claim, relation.to_claim

    page.goto(f"{demo_site.url}/claims/{rivalry.pk}/")
    relations = page.locator(".relations")

    assert relations.get_by_text("contradicts").first.is_visible()
    screenshot("claim-detail", full_page=True)
    relations.get_by_role("link", name=complementary.statement).click()
    page.wait_for_url(f"{demo_site.url}/claims/{complementary.pk}/")
    assert page.locator(".relations").get_by_role("link", name=rivalry.statement).is_visible()


def test_the_claims_list_filters_in_the_browser(as_reviewer, demo_site, screenshot):
    page = as_reviewer
    page.goto(f"{demo_site.url}/claims/")

    page.get_by_label("Status").select_option("vetted")
    page.get_by_role("button", name="Apply").click()

    vetted = Claim.objects.vetted().count()
    assert page.locator("#result-count").inner_text().startswith(f"{vetted} claim")
    screenshot("claims-list")
