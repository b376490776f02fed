"""Helpers shared by the test modules: opening pages as a user, reading them back, claims in a given state.

Reading an admin change form back into the POST a browser would send is in `tests.adminforms`.
"""

import html

from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import Claim
from tests.adminforms import form_data
from tests.factories import ClaimFactory


def change_url(obj) -> str:
    """The admin change page of `obj` (a claim, a report, a source...)."""
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def logged_in(user) -> Client:
    """A fresh client logged in as `user`, beside the `client` fixture rather than instead of it."""
    client = Client()
    client.force_login(user)
    return client


def page_text(response) -> str:
    """The page as text: HTML entities (quotes, apostrophes, ampersands) read back as characters."""
    return html.unescape(response.content.decode())


def save_change_form(client, obj, edit):
    """Open `obj`'s admin change form, let `edit(data, response)` change what the browser sends, and save."""
    response = client.get(change_url(obj))
    data = form_data(response)
    edit(data, response)
    return client.post(change_url(obj), data, follow=True)


def vetted_claim(analyst, reviewer) -> Claim:
    """A claim drafted by `analyst`, submitted, and vetted by `reviewer` through the workflow."""
    claim = ClaimFactory(created_by=analyst, updated_by=analyst)
    services.claim_transition(claim=claim, action="submit", by=analyst)
    services.claim_transition(claim=claim, action="vet", by=reviewer, comment="Checked.")
    claim.refresh_from_db()
    return claim
