"""The graph of who says what in a real browser: the demo drawn on /graph/, a claim opened by selecting its
node, and that claim's own focused graph, under the Content-Security-Policy and without a console error."""

import pytest
from django.contrib.auth import get_user_model

from claims import graph
from claims.models import Claim

pytestmark = pytest.mark.e2e

READY = "[data-graph][data-graph-ready]"

# The page position of a node, centred and zoomed in first so that no neighbour covers it. After a frame:
# Cytoscape learns where its canvas moved from the scroll event, which the browser sends at the next frame.
NODE_POSITION = """async (id) => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const cy = window.claimtrackerGraphs[0];
  const node = cy.getElementById(id);
  cy.zoom(2);
  cy.center(node);
  const at = node.renderedPosition();
  const box = cy.container().getBoundingClientRect();
  return {x: box.left + at.x, y: box.top + at.y};
}"""


def drawn_nodes(page) -> int:
    page.wait_for_selector(READY, timeout=20_000)
    assert page.get_attribute(READY, "data-graph-ready") == "true", page.inner_text("[data-graph-status]")
    return int(page.get_attribute(READY, "data-rendered-nodes"))


def test_the_graph_draws_the_demo_and_selecting_a_claim_opens_its_page_and_its_focused_graph(
    as_reviewer, demo_site, screenshot
):
    page = as_reviewer
    problems = []
    page.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    reviewer = get_user_model().objects.get(username="reviewer")
    expected = graph.build(user=reviewer)["counts"]
    claim = Claim.objects.filter(status=Claim.Status.VETTED, attributions__isnull=False).order_by("pk").first()

    page.goto(f"{demo_site.url}/graph/")

    assert drawn_nodes(page) == sum(expected[kind] for kind in ("claims", "sources", "reports", "entities"))
    assert page.locator(".graph-table tbody tr").count() == min(expected["edges"], graph.LISTED_EDGES)
    screenshot("graph")

    page.locator("[data-graph-canvas]").scroll_into_view_if_needed()
    position = page.evaluate(NODE_POSITION, f"claim:{claim.pk}")
    page.mouse.click(position["x"], position["y"])
    page.wait_for_url(f"{demo_site.url}/claims/{claim.pk}/")

    focused = graph.build(user=reviewer, focus=("claim", claim.pk))
    assert drawn_nodes(page) == len(focused["elements"]["nodes"])
    # the script listed the links under the canvas (the page itself ran no query for them)
    assert page.locator(".graph-table tbody tr").count() == len(focused["elements"]["edges"])
    page.locator("[data-graph-canvas]").scroll_into_view_if_needed()
    screenshot("graph-focused-claim")
    assert problems == []
