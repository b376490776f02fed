"""The reviewers' pages about reports and sources: the annotated report, the sources by kind, a source.

Views are thin: access is `ReviewerPageMixin`, what they show is one queryset recipe.
"""

from django.views.generic import DetailView, ListView

from claims.access import ReviewerPageMixin
from claims.annotating import segment
from claims.models import Attribution, Claim
from sources.models import Report, Source


class ReportDetailView(ReviewerPageMixin, DetailView):
    """The report's text with every attributed passage highlighted, and its claims beside it."""

    template_name = "sources/report_detail.html"

    def get_queryset(self):
        return Report.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        attributions = list(Attribution.objects.visible_to(self.request.user).for_report(self.object))
        kinds_present = {attribution.source.kind for attribution in attributions}
        # Passages whose claim was rejected or retracted are shown, but must not read as vetted evidence.
        withdrawn = [Claim.Status.REJECTED, Claim.Status.RETRACTED]
        return super().get_context_data(
            attributions=attributions,
            segments=segment(self.object.body, attributions),
            legend=[kind for kind in Source.Kind if kind in kinds_present],
            withdrawn_statuses=withdrawn,
            any_withdrawn=any(attribution.claim.status in withdrawn for attribution in attributions),
            **kwargs,
        )


class SourceListView(ReviewerPageMixin, ListView):
    template_name = "sources/source_list.html"
    context_object_name = "sources"

    def get_queryset(self):
        return Source.objects.visible_to(self.request.user).for_sources_page()


class SourceDetailView(ReviewerPageMixin, DetailView):
    template_name = "sources/source_detail.html"

    def get_queryset(self):
        return Source.objects.visible_to(self.request.user).with_stance_counts()

    def get_context_data(self, **kwargs):
        attributions = Attribution.objects.visible_to(self.request.user).filter(source=self.object)
        return super().get_context_data(attributions=attributions.for_source_page(), **kwargs)
