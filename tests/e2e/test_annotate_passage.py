"""An analyst selects a passage of a report in Chromium and attributes it: the claim form opens with the
report, the quote and its offsets filled in, and the saved claim shows on the report's page."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import Client

from claims import roles
from claims.models import Attribution, Claim
from sources.models import Source
from tests.factories import AttributionFactory, ClaimFactory, ReportFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.e2e

# A wire-style opening (an emoji: two UTF-16 units, one character for the server), then tests.factories.BODY.
BODY = (
    "\U0001f4cd Bamako. "
    "Selon un officier malien, qui a requis l\u2019anonymat, les drones sont arriv\u00e9s \u00e0 la fin de 2022. "
    "\u00ab\u00a0Ils sont tr\u00e8s discrets\u00a0\u00bb, affirme une source. "
    "Environ 2\u00a0000 membres d\u2019Africa Corps seraient pr\u00e9sents dans le pays, selon des estimations. "
    "Plusieurs observateurs y voient une rivalit\u00e9 croissante."
)
ATTRIBUTE = "Attribute this passage"

# Select body[start:end] (characters, as the server counts them) with a Range over the text nodes of the article.
SELECT = """([start, end]) => {
  const body = document.querySelector("[data-annotated-body]");
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const units = (text, chars) => Array.from(text).slice(0, chars).join("").length;
  let node, seen = 0, range = document.createRange(), startSet = false;
  while ((node = walker.nextNode())) {
    const length = Array.from(node.data).length;
    if (!startSet && start < seen + length) { range.setStart(node, units(node.data, start - seen)); startSet = true; }
    if (end <= seen + length) { range.setEnd(node, units(node.data, end - seen)); break; }
    seen += length;
  }
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return [range.startContainer.parentElement.dataset.attribution || null,
          range.endContainer.parentElement.dataset.attribution || null];
}"""


def span(text: str) -> tuple[int, int]:
    start = BODY.index(text)
    return start, start + len(text)


@pytest.fixture
def small_report(transactional_db, live_server):
    """A report with three attributed passages, one nested in another."""
    roles.sync_groups(Group, Permission)  # live-server tests flush the role groups
    report = ReportFactory(body=BODY)
    arrived = ClaimFactory(statement="Turkish drones arrived in Mali at the end of 2022.")
    AttributionFactory(claim=arrived, report=report, quote="les drones sont arriv\u00e9s \u00e0 la fin de 2022")
    AttributionFactory(
        claim=ClaimFactory(statement="The drones arrived late in 2022."), report=report, quote="la fin de 2022"
    )
    AttributionFactory(
        claim=ClaimFactory(statement="The drones are discreet."), report=report, quote="Ils sont tr\u00e8s discrets"
    )
    return report


def signed_in(page, live_server, user):
    """The browser signed in as `user` (a session made by the test client: quicker than the login form)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return page


@pytest.fixture
def as_analyst(page, live_server, small_report):
    analyst = UserFactory(username="ana", is_staff=True)
    analyst.groups.add(Group.objects.get(name=roles.ANALYSTS))
    return signed_in(page, live_server, analyst)


def open_report(page, live_server, report):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: "Content Security Policy" in message.text and errors.append(message.text))
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    assert page.locator("[data-annotated-body]").text_content() == report.body
    return errors


def test_an_analyst_attributes_a_passage_running_from_a_nested_highlight_into_another(
    as_analyst, live_server, small_report, screenshot
):
    page, report = as_analyst, small_report
    source = SourceFactory(label="un officier malien", kind=Source.Kind.DESCRIBED_INDIVIDUAL)
    arrived = Claim.objects.get(statement__startswith="Turkish drones arrived")
    errors = open_report(page, live_server, report)
    # From inside "la fin de 2022" (nested in another highlight) to the middle of a word inside the quote's highlight.
    start, end = BODY.index("fin de 2022"), BODY.index("discrets") + len("dis")
    passage = BODY[start:end]

    in_marks = page.evaluate(SELECT, [start, end])

    nested, quoted = (Attribution.objects.get(quote=q).pk for q in ("la fin de 2022", "Ils sont tr\u00e8s discrets"))
    assert in_marks == [str(nested), str(quoted)]
    button = page.get_by_role("link", name=ATTRIBUTE)
    button.wait_for()
    screenshot("attribute-passage-button")
    button.click()

    page.wait_for_url("**/admin/claims/claim/add/?**")
    assert page.locator("#id_attributions-0-quote").input_value() == passage
    assert page.locator("#id_attributions-0-start").input_value() == str(start)
    assert page.locator("#id_attributions-0-end").input_value() == str(end)
    assert page.locator("#id_original_wording").input_value() == passage
    assert page.locator(".passage-box").get_by_text(arrived.statement).is_visible()  # a similar claim on file
    page.locator("#id_statement").fill("Turkish drones arrived in Mali, very discreetly, at the end of 2022.")
    page.locator(".similar-live").get_by_role("link", name=f"#{arrived.pk} {arrived.statement}").wait_for()
    screenshot("attribute-passage-form", full_page=True)
    page.evaluate(
        "([id, label]) => document.getElementById('id_attributions-0-source').add(new Option(label, id, true, true))",
        [source.pk, source.label],
    )
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/claims/claim/")

    attribution = Attribution.objects.select_related("claim").get(source=source)
    assert (attribution.quote, attribution.start, attribution.end) == (passage, start, end)
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    assert page.locator(".report-claims").get_by_text(attribution.claim.statement).is_visible()
    assert page.locator(f'[data-attribution-id="{attribution.pk}"]').count() == 1
    assert errors == []


def test_a_passage_with_accents_and_no_break_spaces_is_attributed_from_the_keyboard(
    as_analyst, live_server, small_report
):
    page, report = as_analyst, small_report
    errors = open_report(page, live_server, report)
    passage = "Environ 2\u00a0000 membres d\u2019Africa Corps seraient pr\u00e9sents"
    start, end = span(passage)

    page.evaluate(SELECT, [start - 1, end + 1])  # with the spaces around it, which are left out
    page.get_by_role("link", name=ATTRIBUTE).wait_for()
    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.textContent") == ATTRIBUTE
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/claims/claim/add/?**")
    assert page.locator("#id_attributions-0-quote").input_value() == passage
    assert (
        page.locator("#id_attributions-0-start").input_value(),
        page.locator("#id_attributions-0-end").input_value(),
    ) == (str(start), str(end))
    assert errors == []


def test_a_reviewer_who_may_not_add_claims_gets_no_button(page, live_server, small_report):
    reader = UserFactory(username="reader", is_staff=True)
    reader.user_permissions.set(Permission.objects.filter(codename__in=["view_claim", "vet_claim", "view_report"]))
    signed_in(page, live_server, reader)
    errors = open_report(page, live_server, small_report)

    page.evaluate(SELECT, list(span("Ils sont tr\u00e8s discrets")))
    page.wait_for_timeout(100)  # a frame for the selection to be noticed

    assert page.get_by_text(ATTRIBUTE).count() == 0
    assert errors == []
