from rest_framework.permissions import BasePermission


def may_use_api(user) -> bool:
    """API consumers, analysts and reviewers; what each may read is decided by `Claim.objects.visible_to`."""
    return bool(
        user and user.is_authenticated and (user.has_perm("claims.access_api") or user.has_perm("claims.view_claim"))
    )


class CanUseApi(BasePermission):
    """Lets in the users `may_use_api` names; `create_api_token` applies the same rule."""

    message = "Your account may not use the API. Ask for membership of the api-consumers group."

    def has_permission(self, request, view) -> bool:
        return may_use_api(request.user)
