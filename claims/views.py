"""The reviewers' pages about claims: the overview, the claims list, a claim, an entity.

Views are thin: access is `ReviewerPageMixin`, what they show is one queryset recipe.
"""

from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from claims.access import ReviewerPageMixin
from claims.filtersets import ClaimFilterSet
from claims.models import Claim, Entity
from sources.models import Report


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


class EntityDetailView(ReviewerPageMixin, DetailView):
    template_name = "claims/entity_detail.html"

    def get_queryset(self):
        return Entity.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        claims = Claim.objects.visible_to(self.request.user).filter(entities=self.object).for_list_page()
        return super().get_context_data(claims=claims, **kwargs)
