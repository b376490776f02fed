"""From the admin to the reviewers' pages: every edited object has a "View on site" link to its page."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.factories import AttributionFactory, EntityFactory


@pytest.mark.parametrize(
    "admin_name, page_name, target",
    [
        ("admin:claims_claim_change", "claim_detail", lambda a, e: a.claim),
        ("admin:sources_report_change", "report_detail", lambda a, e: a.report),
        ("admin:sources_source_change", "source_detail", lambda a, e: a.source),
        ("admin:claims_entity_change", "entity_detail", lambda a, e: e),
    ],
)
def test_an_admin_change_page_links_to_the_objects_reviewer_page(client, analyst, admin_name, page_name, target):
    obj = target(AttributionFactory(), EntityFactory())
    client.force_login(analyst)

    page = client.get(reverse(admin_name, args=[obj.pk])).content.decode()
    view_on_site = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])

    assert view_on_site in page
    assert client.get(view_on_site)["Location"].endswith(reverse(page_name, args=[obj.pk]))
