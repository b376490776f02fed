"""The admin's history pages read as an analyst speaks (issue 13, defect 6): labels, review steps, no "None"."""

import html as html_lib
import re

import pytest

from claims import services
from claims.models import Claim
from tests.factories import ClaimFactory, SourceFactory


def history_cells(client, url: str) -> list[str]:
    """The history table's rows, each as its cells' text joined by " | " (newest first)."""
    html = client.get(url).content.decode()
    start = html.index('id="change-history"')
    table = html[start : html.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
    return [
        " | ".join(
            re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", cell))).strip()
            for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        )
        for row in rows
    ]


@pytest.fixture
def claim(analyst):
    claim = ClaimFactory(created_by=analyst, updated_by=analyst, likelihood=Claim.Likelihood.LIKELY)
    services.claim_save(claim=claim, by=analyst)
    return claim


def test_a_judgement_change_shows_labels_not_stored_values(claim, analyst, superuser_client):
    claim.likelihood = Claim.Likelihood.VERY_LIKELY
    services.claim_save(claim=claim, by=analyst, version=claim.version)

    newest = history_cells(superuser_client, f"/admin/claims/claim/{claim.pk}/history/")[0]

    assert "Likelihood: Likely (55-80 %) → Very likely (80-95 %)" in newest
    assert "very_likely" not in newest


def test_a_review_step_shows_the_status_it_moved(claim, analyst, superuser_client):
    services.claim_transition(claim=claim, action=Claim.Transition.SUBMIT, by=analyst)

    newest = history_cells(superuser_client, f"/admin/claims/claim/{claim.pk}/history/")[0]

    assert "Status: Draft → In review" in newest


def test_a_missing_change_reason_reads_as_a_dash_not_none(db, superuser_client):
    source = SourceFactory()

    rows = history_cells(superuser_client, f"/admin/sources/source/{source.pk}/history/")

    assert rows and all("None" not in row for row in rows)
    assert "—" in rows[0]
