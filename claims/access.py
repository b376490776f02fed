"""Who may open the reviewers' pages: one mixin, used by every page view."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin


class ReviewerPageMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Anyone who may view claims: analysts, reviewers and superusers.

    Staff status alone is not enough: it opens the admin's door, not its
    data, and a staff account without a role would see empty pages.

    Anonymous visitors are sent to the login page; a signed-in user without
    the right (an API consumer) gets 403. What each page then lists is
    decided by the querysets (`Claim.objects.visible_to(user)`).
    """

    permission_required = "claims.view_claim"
