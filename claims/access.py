"""Who may open the reviewers' pages: one mixin, used by every page view."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin


class ReviewerPageMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Staff, or anyone who may view claims (analysts and reviewers).

    Anonymous visitors are sent to the login page; a signed-in user without
    the right (an API consumer) gets 403. What each page then lists is
    decided by the querysets (`Claim.objects.visible_to(user)`).
    """

    permission_required = "claims.view_claim"

    def has_permission(self) -> bool:
        return self.request.user.is_staff or super().has_permission()
