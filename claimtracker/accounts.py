"""A user's own account pages: their API token, and logging out.

The API token page is how a consumer gets a token without an administrator:
the README's "create one in the admin" was out of reach for every account but
the superuser's. A token is shown in full once, in the response that created
it (never stored in the session or a message cookie); afterwards the page
shows when it was made and its last four characters, and offers to replace
or revoke it. Every change is a POST, checked by CSRF like any form.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views import View
from rest_framework.authtoken.models import Token

from claims.api.permissions import may_use_api

NOT_FOR_THIS_ACCOUNT = (
    "Your account may not use the API, so it has no token. Ask an administrator to add it to the api-consumers group."
)


class ApiTokenView(LoginRequiredMixin, View):
    """`/account/token/`: see, create, replace or revoke one's own API token."""

    template_name = "registration/api_token.html"
    actions = ("create", "replace", "revoke")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_use_api(request.user):
            raise PermissionDenied(NOT_FOR_THIS_ACCOUNT)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._page(request, token=Token.objects.filter(user=request.user).first())

    def post(self, request):
        action = request.POST.get("action")
        if action not in self.actions:
            messages.error(request, _("Unknown request: choose create, replace or revoke."))
            return redirect("api_token")
        with transaction.atomic():
            existing = Token.objects.select_for_update().filter(user=request.user).first()
            if action == "revoke":
                if existing is not None:
                    existing.delete()
                    messages.success(request, _("Your API token is revoked: scripts that used it now get 401."))
                return redirect("api_token")
            if existing is not None and action == "create":
                messages.info(request, _("You already have a token. Replace it to get a new one."))
                return redirect("api_token")
            if existing is not None:
                existing.delete()
            token = Token.objects.create(user=request.user)
        return self._page(request, token=token, new_key=token.key, replaced=existing is not None)

    def _page(self, request, **context):
        response = render(request, self.template_name, {"docs_url": reverse("api-docs"), **context})
        add_never_cache_headers(response)  # the page may carry a secret: no cache keeps it
        return response


class LogoutView(auth_views.LogoutView):
    """Django logs out by POST only (a GET would let any page log its visitor out); a GET, typed or
    followed from a bookmark, gets a page with the button instead of a bare 405."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/logout.html")
