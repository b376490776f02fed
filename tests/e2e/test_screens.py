"""Every screen on a laptop (1366×900) and a phone (390×844), in Debian's Chromium: nothing scrolls sideways,
no text cell is too narrow to read, the menu is in sight; and the defects a new user hit on them (issue 13).

"Too narrow to read": a table cell holding 12 characters or more must be at least as wide, inside its
padding, as 12 average characters of the cell's own font: 12/26 of the width of "a…z" as a canvas'
`measureText` draws it in that font (about 0.55 em a character in the fonts used, a little more than
the 0.5 em of a rule of thumb). Cells with less text (a grade, a count, "—") only need their own width.
"""

import pytest

from claims.models import Attribution, Claim, ClaimRelation
from sources.models import Report, Source
from tests.e2e.conftest import SCREENSHOTS
from tests.factories import AttributionFactory, ClaimFactory, ReportFactory, SourceFactory

pytestmark = pytest.mark.e2e

SCREENS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}

# The page's problems as sentences: sideways scroll, text cells under 12 characters wide (see above).
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const page = document.scrollingElement;
  if (page.scrollWidth > window.innerWidth) {
    problems.push(`scrolls sideways: ${page.scrollWidth}px wide for a ${window.innerWidth}px screen`);
  }
  const ruler = document.createElement("canvas").getContext("2d");
  for (const cell of document.querySelectorAll("td")) {
    const text = cell.innerText.trim().replace(/\\s+/g, " ");
    if (text.length < 12 || !cell.getClientRects().length) {
      continue;
    }
    const style = getComputedStyle(cell);
    const inside = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    ruler.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const twelve = (ruler.measureText("abcdefghijklmnopqrstuvwxyz").width / 26) * 12;
    if (inside + 0.5 < twelve) {
      const widths = `${Math.round(inside)}px, under 12 characters (${Math.round(twelve)}px)`;
      problems.push(`a cell ${widths}: "${text.slice(0, 40)}"`);
    }
  }
  return problems;
}"""

# Every link, button and box of the menu (ours, or the admin's header) outside the screen, as sentences.
MENU_OUTSIDE = """() => {
  const menu = document.querySelector(".navbar") || document.querySelector("#header");
  if (!menu) {
    return ["no menu"];
  }
  const outside = [];
  for (const item of menu.querySelectorAll("a, button:not([data-menu-toggle]), input:not([type=hidden])")) {
    const box = item.getBoundingClientRect();
    const name = (item.innerText || item.value || item.placeholder || item.tagName).trim().slice(0, 30);
    if (!box.width || !box.height) {
      outside.push(`"${name}" not shown`);
    } else if (box.left < -0.5 || box.right > window.innerWidth + 0.5 || box.top < -0.5) {
      outside.push(`"${name}" at ${Math.round(box.left)}–${Math.round(box.right)}px`);
    }
  }
  return outside;
}"""


def demo_pages() -> dict[str, str]:
    """Every page, by the name of its screenshot, with an object of the demo where it needs one."""
    claim = Claim.objects.get(outgoing_relations__kind=ClaimRelation.Kind.CONTRADICTS)
    report = Report.objects.get(title__startswith="La Turquie")
    source = Attribution.objects.filter(report=report).order_by("pk").first().source
    entity = claim.entities.first()
    return {
        "overview": "/",
        "claims": "/claims/",
        "claim": f"/claims/{claim.pk}/",
        "review": "/review/",
        "reports": "/reports/",
        "report": f"/reports/{report.pk}/",
        "sources": "/sources/",
        "source": f"/sources/{source.pk}/",
        "entities": "/entities/",
        "entity": f"/entities/{entity.pk}/",
        "search": "/search/?q=drones",
        "graph": "/graph/",
        "api-token": "/account/token/",
        "api-docs": "/api/docs/",
        "admin-claims": "/admin/claims/claim/",
        "admin": "/admin/",
    }


def test_every_page_fits_a_laptop_and_a_phone_with_its_menu_in_sight(browser, demo_site):
    """One demo, every page at both sizes; the failures collected and listed together."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages, failures = demo_pages(), []
    for screen, size in SCREENS.items():
        context = browser.new_context(viewport=size, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{demo_site.url}/accounts/login/")
        page.get_by_label("Username").fill("reviewer")
        page.get_by_label("Password").fill("reviewer-demo-pass")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{demo_site.url}/")
        for name, path in pages.items():
            page.goto(f"{demo_site.url}{path}", wait_until="networkidle" if name == "api-docs" else "load")
            problems = page.evaluate(LAYOUT_PROBLEMS)
            toggle = page.locator("[data-menu-toggle]")
            if toggle.count() and toggle.is_visible():
                # Folded on a phone: the button says so, and opening it shows the whole menu.
                if toggle.get_attribute("aria-expanded") != "false":
                    problems.append("the Menu button does not say the menu is folded")
                toggle.click()
                if toggle.get_attribute("aria-expanded") != "true":
                    problems.append("the Menu button does not say the menu is open")
                problems += [f"menu: {item}" for item in page.evaluate(MENU_OUTSIDE)]
                if name == "overview":
                    page.screenshot(path=str(SCREENSHOTS / f"menu-open-{size['width']}.png"))
                toggle.click()
            elif name != "api-docs":  # Swagger UI's page has a menu of its own only if it is given one
                problems += [f"menu: {item}" for item in page.evaluate(MENU_OUTSIDE)]
            if name == "admin-claims":
                for column in ("confidence", "updated"):
                    right = page.evaluate(
                        "(c) => document.querySelector(`th.column-${c}`)?.getBoundingClientRect().right", column
                    )
                    if screen == "laptop" and (right is None or right > size["width"]):
                        problems.append(f"the {column} column is off the screen ({right}px)")
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}.png"))
            failures += [f"{path} at {size['width']}px: {problem}" for problem in dict.fromkeys(problems)]
        context.close()

    assert not failures, "\n".join(failures)


# The defects, one by one, on small data of their own -------------------------------------------------------


def passages(report: Report, sentences: list[str], **attribution) -> list[Attribution]:
    """One attribution per sentence of `report`'s body, each of a claim of its own, in text order."""
    return [
        AttributionFactory(report=report, quote=sentence, claim=ClaimFactory(status=Claim.Status.VETTED), **attribution)
        for sentence in sentences
    ]


def report_of(sentences: list[str]) -> Report:
    return ReportFactory(body=" ".join(sentences))


LONG = [
    f"Le porte-parole numéro {n} affirme que les drones sont arrivés à la base de Sévaré au cours de la semaine, "
    f"avant la saison des pluies, et que leurs équipages ont été formés à l'étranger pendant plusieurs mois."
    for n in range(1, 31)
]
SHORT = [f"Phrase courte {n}." for n in range(1, 13)]


def in_sight(rect: dict, height: int = 900) -> bool:
    return rect["top"] >= 0 and rect["bottom"] <= height


def box(page, selector: str) -> dict:
    return page.evaluate(
        "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }",
        selector,
    )


def test_the_list_beside_a_long_report_follows_the_passage_clicked(signed_in, reviewer):
    report = report_of(LONG)
    late = passages(report, LONG)[24]
    page = signed_in(reviewer)
    page.goto(f"/reports/{report.pk}/")

    page.locator(f"#hl-{late.pk}").scroll_into_view_if_needed()
    page.locator(f"#hl-{late.pk}").click()

    card = f"#attribution-{late.pk}"
    assert "is-current" in page.get_attribute(card, "class").split()
    shown, listing = box(page, card), box(page, ".report-claims")
    assert listing["top"] - 1 <= shown["top"] and shown["bottom"] <= listing["bottom"] + 1
    assert in_sight(shown)
    assert in_sight(box(page, f"#hl-{late.pk}"))  # the page did not scroll away from the passage


def test_beside_a_short_report_the_last_card_of_the_list_is_not_cut_off(signed_in, reviewer):
    report = report_of(SHORT)
    last = passages(report, SHORT)[-1]
    page = signed_in(reviewer)
    page.goto(f"/reports/{report.pk}/")

    hidden = page.evaluate(
        "() => { const l = document.querySelector('.report-claims'); return l.scrollHeight - l.clientHeight; }"
    )
    # The page's own scroll brings it whole into sight (the focused graph below the text makes the page
    # taller than the list, so the page's very bottom is not where the list ends).
    page.locator(f"#attribution-{last.pk}").scroll_into_view_if_needed()

    assert hidden <= 1, f"{hidden}px of the list hidden inside it"
    assert in_sight(box(page, f"#attribution-{last.pk}"))


def test_neighbouring_passages_are_told_apart_and_the_legend_lists_only_the_looks_on_the_page(signed_in, reviewer):
    report = report_of(SHORT[:4])
    first, second, *_ = passages(report, SHORT[:4])
    page = signed_in(reviewer)
    page.goto(f"/reports/{report.pk}/")

    look = """(s) => { const c = getComputedStyle(document.querySelector(s));
                       return [c.backgroundColor, c.backgroundImage, c.boxShadow]; }"""
    one, two = page.evaluate(look, f"#hl-{first.pk}"), page.evaluate(look, f"#hl-{second.pk}")
    assert one != two  # same kind of source, side by side: shaded apart
    assert one[2] != "none" and two[2] != "none"  # and each outlined
    legend = page.locator(".legend").inner_text()
    for absent in ("wavy underline", "dotted underline", "darker", "hatched", "dashed outline"):
        assert absent not in legend

    AttributionFactory(report=report, quote=SHORT[1], hedged=True, claim=ClaimFactory(status=Claim.Status.VETTED))
    page.reload()

    legend = page.locator(".legend").inner_text()
    assert "dotted underline" in legend and "darker" in legend  # hedged, and that passage now twice attributed
    assert "wavy underline" not in legend


def test_j_and_k_go_from_passage_to_passage_and_enter_opens_one(signed_in, reviewer):
    report = report_of(LONG)
    attributions = passages(report, LONG)
    page = signed_in(reviewer)
    page.goto(f"/reports/{report.pk}/")
    focused = "() => document.activeElement.id"

    page.keyboard.press("j")
    assert page.evaluate(focused) == f"hl-{attributions[0].pk}"
    for _ in range(20):
        page.keyboard.press("j")
    page.keyboard.press("k")

    here = attributions[19]
    assert page.evaluate(focused) == f"hl-{here.pk}"
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
    mark = box(page, f"#hl-{here.pk}")
    assert in_sight(mark)

    page.keyboard.press("Escape")
    assert page.locator("#attribution-popover").is_hidden()
    page.keyboard.press("Enter")

    popover = page.locator("#attribution-popover")
    assert popover.is_visible() and here.claim.statement in popover.inner_text()
    assert page.evaluate("() => document.activeElement.closest('#attribution-popover') !== null")


def test_slash_puts_the_cursor_in_the_search_box_of_a_list_but_not_while_typing(signed_in, reviewer):
    page = signed_in(reviewer)
    for path, box_selector in [
        ("/claims/", ".filter-form [name=q]"),
        ("/reports/", ".filter-bar [name=q]"),
        ("/entities/", ".filter-bar [name=q]"),
        ("/sources/", "#nav-search-q"),
        ("/review/", "#nav-search-q"),
        ("/search/?q=drones", "#search-q"),
    ]:
        page.goto(path)
        page.keyboard.press("/")
        assert page.evaluate("(s) => document.activeElement === document.querySelector(s)", box_selector), path

    page.keyboard.type("a/b")
    assert page.input_value("#search-q") == "a/b"  # "/" typed in a box is a character


def test_on_a_phone_the_pop_over_of_a_passage_low_on_the_screen_stays_on_it(signed_in, reviewer):
    report = report_of(LONG)
    attribution = passages(report, LONG)[5]
    page = signed_in(reviewer, width=390, height=844)
    page.goto(f"/reports/{report.pk}/")
    # Bring the passage to the bottom of the screen, where a pop-over below it would run off.
    page.evaluate(
        "(s) => window.scrollBy(0, document.querySelector(s).getClientRects()[0].top - (innerHeight - 60))",
        f"#hl-{attribution.pk}",
    )

    first_line = page.evaluate("(s) => document.querySelector(s).getClientRects()[0].toJSON()", f"#hl-{attribution.pk}")
    page.mouse.click(first_line["left"] + 5, first_line["top"] + first_line["height"] / 2)

    popover = box(page, "#attribution-popover")
    assert page.locator("#attribution-popover").is_visible()
    assert in_sight(popover, 844), popover
    assert popover["left"] >= 0 and popover["right"] <= 390, popover
    page.screenshot(path=str(SCREENSHOTS / "annotated-report-popover-390.png"))


def test_the_claims_list_says_who_said_it_and_its_filters_show_the_text_box_dates_and_apply(signed_in, reviewer):
    claim = ClaimFactory(status=Claim.Status.VETTED, statement="Des drones turcs sont arrivés à Sévaré.")
    monde = SourceFactory(label="Le Monde", kind=Source.Kind.OUTLET, anonymous=False, reliability="A")
    AttributionFactory(claim=claim, source=SourceFactory(label="un diplomate européen", reliability="B"), credibility=3)
    AttributionFactory(claim=claim, source=monde, credibility=2)
    page = signed_in(reviewer)
    page.goto("/claims/")

    row = page.locator(".claims-table tbody tr", has_text=claim.statement)
    assert row.locator("td.said-by").inner_text().split("\n") == ["Le Monde A2", "un diplomate européen B3"]

    panel = page.evaluate(
        "() => { const f = document.querySelector('.filters'); return f.scrollHeight - f.clientHeight; }"
    )
    assert panel <= 1, f"the filter panel hides {panel}px inside itself"
    apply = page.get_by_role("button", name="Apply")
    centre = box(page, ".filters button[type=submit]")
    assert in_sight(centre)  # in sight from the start, without scrolling
    for field in (".filter-form [name=q]", ".field-about input", ".field-published input"):
        page.locator(field).first.scroll_into_view_if_needed()
        assert page.locator(field).first.is_visible()
        at = box(page, ".filters button[type=submit]")
        assert in_sight(at), f"Apply out of sight beside {field}"
    apply.click()
    page.wait_for_url("**/claims/**")


def test_without_javascript_the_phone_menu_wraps_in_sight(signed_in, reviewer):
    page = signed_in(reviewer, width=390, height=844, javascript=False)
    page.goto("/claims/")

    assert page.locator("[data-menu-toggle]").is_hidden()
    assert page.evaluate(MENU_OUTSIDE) == []
