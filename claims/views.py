"""The reviewers' pages about claims: the overview, the claims list, a claim, an entity; where a login lands.

Views are thin: access is `ReviewerPageMixin`, what they show is one queryset recipe.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.views.generic import DetailView, RedirectView, TemplateView, View
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView

from claims.access import ReviewerPageMixin, start_page_for
from claims.filtersets import ClaimFilterSet
from claims.forms import take_review_step
from claims.models import Claim, Entity
from sources.models import Report


class StartView(LoginRequiredMixin, RedirectView):
    """LOGIN_REDIRECT_URL: a login without `next` lands where the user may go (`start_page_for`)."""

    def get_redirect_url(self, *args, **kwargs):
        return start_page_for(self.request.user)


class OverviewView(ReviewerPageMixin, TemplateView):
    template_name = "claims/overview.html"

    def get_context_data(self, **kwargs):
        claims = Claim.objects.visible_to(self.request.user)
        return super().get_context_data(
            status_counts=claims.count_by_status(),
            source_kind_counts=claims.count_by_source_kind(),
            recent_reports=Report.objects.visible_to(self.request.user).recently_added()[:8],
            recent_claims=claims.for_list_page()[:10],
            **kwargs,
        )


class ClaimListView(ReviewerPageMixin, FilterView):
    filterset_class = ClaimFilterSet
    paginate_by = 25
    template_name = "claims/claim_list.html"

    def get_queryset(self):
        return Claim.objects.visible_to(self.request.user).for_list_page()


class ClaimDetailView(ReviewerPageMixin, DetailView):
    template_name = "claims/claim_detail.html"

    def get_queryset(self):
        return Claim.objects.visible_to(self.request.user).with_counts().for_detail_page()

    def get_context_data(self, **kwargs):
        review_steps, review_refusals = self.object.review_options(self.request.user)
        return super().get_context_data(
            review_steps=review_steps,
            review_refusals=review_refusals,
            # Reject and retract need a reason (the workflow refuses them without one): the box says so.
            reason_required=any(action in Claim.REASON_REQUIRED for action, _ in review_steps),
            **kwargs,
        )


class ClaimReviewView(ReviewerPageMixin, SingleObjectMixin, View):
    """The review box of /claims/<id>/ (POST only): take a workflow step, then back to the claim."""

    http_method_names = ["post"]

    def get_queryset(self):
        return Claim.objects.visible_to(self.request.user)

    def post(self, request, *args, **kwargs):
        claim = self.get_object()
        if not take_review_step(request, claim):
            return HttpResponseBadRequest("Unknown workflow step.")
        return redirect("claim_detail", claim.pk)


class EntityDetailView(ReviewerPageMixin, DetailView):
    template_name = "claims/entity_detail.html"

    def get_queryset(self):
        return Entity.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        claims = Claim.objects.visible_to(self.request.user).filter(entities=self.object).for_list_page()
        return super().get_context_data(claims=claims, **kwargs)
