from rest_framework.permissions import BasePermission


class CanUseApi(BasePermission):
    """API consumers, analysts and reviewers; what each may read is decided by `Claim.objects.visible_to`."""

    message = "Your account may not use the API. Ask for membership of the api-consumers group."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (user.has_perm("claims.access_api") or user.has_perm("claims.view_claim"))
        )
