"""Links to the standards exports (`claims.api.exports`) from the reviewers' pages."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from claims.models import Claim

register = template.Library()

# Page-only parameters the API does not take (its ordering is by id or created only; a bundle has no pages).
_PAGE_ONLY = {"page", "ordering", "format"}


@register.simple_tag(takes_context=True)
def claims_export_url(context, export_format: str) -> str:
    """The claims list's current filter as an export: the page lists every status unless asked, the API
    vetted claims only, so a filter without `status` asks for all of them."""
    query = context["request"].GET.copy()
    for name in _PAGE_ONLY:
        query.pop(name, None)
    if not query.getlist("status"):
        query.setlist("status", Claim.Status.values)
    query["format"] = export_format
    return f"{reverse('claim-list')}?{query.urlencode()}"


@register.simple_tag
def claim_export_url(claim: Claim, export_format: str) -> str:
    """One claim as an export, whatever its status (the API shows vetted claims unless `status` says)."""
    return f"{reverse('claim-detail', args=[claim.pk])}?{urlencode({'format': export_format, 'status': claim.status})}"
