"""Who may open the reviewers' pages, and where each kind of user starts: used by every page view."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.urls import reverse


class ReviewerPageMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Anyone who may view claims: analysts, reviewers and superusers.

    Staff status alone is not enough: it opens the admin's door, not its
    data, and a staff account without a role would see empty pages.

    Anonymous visitors are sent to the login page; a signed-in user without
    the right (an API consumer) gets 403. What each page then lists is
    decided by the querysets (`Claim.objects.visible_to(user)`).
    """

    permission_required = "claims.view_claim"


def start_page_for(user) -> str:
    """Where `user` starts after logging in: the overview for those who may read the pages,
    the API docs for API consumers. Anyone else gets the overview, whose 403 page says why."""
    if not user.has_perm("claims.view_claim") and user.has_perm("claims.access_api"):
        return reverse("api-docs")
    return reverse("overview")
