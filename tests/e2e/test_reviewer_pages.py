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


def test_the_claims_list_filters_in_the_browser_with_checkboxes_and_a_clean_url(as_reviewer, demo_site, screenshot):
    page = as_reviewer
    page.goto(f"{demo_site.url}/claims/")

    page.get_by_role("group", name="Status").get_by_label("Vetted").check()
    page.get_by_role("button", name="Apply").click()

    page.wait_for_url(f"{demo_site.url}/claims/?status=vetted")  # the empty fields are left out
    vetted = Claim.objects.vetted().count()
    assert page.locator("#result-count").inner_text().startswith(f"{vetted} claim")
    assert page.get_by_role("group", name="Status").get_by_label("Vetted").is_checked()
    screenshot("claims-list", full_page=True)


def test_an_unreadable_filter_value_is_marked_beside_its_field(as_reviewer, demo_site, screenshot):
    page = as_reviewer
    page.goto(f"{demo_site.url}/claims/?updated_since=yesterday")

    assert page.locator(".field-updated_since").get_by_text("Enter a valid date/time.").is_visible()
    assert page.locator("#result-count").inner_text().startswith("No claims listed")
    screenshot("claims-list-bad-filter")


def test_retracting_asks_for_confirmation_and_nothing_happens_when_cancelled(as_reviewer, demo_site, screenshot):
    page = as_reviewer
    claim = Claim.objects.vetted().first()
    questions = []

    def cancel(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", cancel)
    page.goto(f"{demo_site.url}/claims/{claim.pk}/")
    assert page.get_by_text("Comment (required to reject or retract)").is_visible()
    screenshot("claim-review-box")
    page.get_by_label("Comment (required to reject or retract)").fill("Wrong drone model.")

    page.get_by_role("button", name="Retract").click()

    assert questions and questions[0].startswith(f"Retract claim #{claim.pk}?")
    assert page.url == f"{demo_site.url}/claims/{claim.pk}/"
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VETTED


def test_an_api_consumer_logs_in_and_lands_on_the_api_docs(page, demo_site, screenshot):
    page.goto(f"{demo_site.url}/accounts/login/")
    page.get_by_label("Username").fill("consumer")
    page.get_by_label("Password").fill("consumer-demo-pass")
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url(f"{demo_site.url}/api/docs/")
    page.get_by_text("claimtracker API").first.wait_for()
    screenshot("api-docs-after-consumer-login")


def test_a_retracted_claims_passage_looks_withdrawn_and_its_pop_over_says_so(as_reviewer, demo_site, screenshot):
    from django.contrib.auth import get_user_model

    from claims import services

    page, report = as_reviewer, article()
    attribution = Attribution.objects.for_report(report).filter(claim__status=Claim.Status.VETTED).first()
    services.claim_transition(
        claim=attribution.claim,
        action="retract",
        by=get_user_model().objects.get(username="reviewer"),
        comment="The drone was a different model.",
    )
    page.goto(f"{demo_site.url}/reports/{report.pk}/")
    mark = page.locator(f'[data-attribution-id="{attribution.pk}"]')

    assert "withdrawn" in mark.get_attribute("class").split()
    mark.click()

    assert "Claim retracted" in page.locator("#attribution-popover").inner_text()
    screenshot("annotated-report-retracted")
