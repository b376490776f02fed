"""Forms shared by the admin and the reviewers' pages."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from claims import services
from claims.models import MANUAL_TRANSITIONS, Claim, Transition


class TransitionForm(forms.Form):
    """A workflow button press: which step, an optional comment, and the version the user saw."""

    action = forms.ChoiceField(choices=[(action, Transition(action).label) for action in MANUAL_TRANSITIONS])
    comment = forms.CharField(required=False, widget=forms.Textarea)
    loaded_version = forms.IntegerField()


def take_review_step(request, claim: Claim) -> bool:
    """Handle a press of a review button (admin change page or claim page) and tell the user how it went.

    Returns False when the POST is not a known step (the caller answers 400).
    """
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return False
    try:
        services.claim_transition(
            claim=claim,
            action=form.cleaned_data["action"],
            by=request.user,
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data["loaded_version"],
        )
    except (PermissionDenied, services.StaleClaim) as refusal:
        messages.error(request, str(refusal))
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        status = claim.get_status_display().lower()
        messages.success(request, gettext("Claim #%(pk)s is now %(status)s.") % {"pk": claim.pk, "status": status})
    return True
