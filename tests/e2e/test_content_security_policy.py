"""Every page works under the Content-Security-Policy: Chromium reports no violation on any of them."""

import pytest

from claims.models import Claim
from sources.models import Report, Source

pytestmark = pytest.mark.e2e


def test_no_page_logs_a_content_security_policy_violation(as_reviewer, demo_site):
    page = as_reviewer
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    claim, report, source = Claim.objects.first(), Report.objects.first(), Source.objects.first()
    paths = [
        "/",
        "/claims/",
        f"/claims/{claim.pk}/",
        f"/reports/{report.pk}/",
        "/sources/",
        f"/sources/{source.pk}/",
        "/admin/",
        "/admin/claims/claim/",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/sources/report/{report.pk}/change/",
        "/api/docs/",
        "/api/v1/claims/",
    ]

    for path in paths:
        page.goto(f"{demo_site.url}{path}")
        page.wait_for_load_state("networkidle")

    assert violations == []
    # The API docs really ran their start-up script under the policy: Swagger UI drew the operations.
    page.goto(f"{demo_site.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=15000)
