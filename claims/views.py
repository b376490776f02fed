"""The reviewers' pages: the overview, the claims list, a claim, an entity, the annotated report, the sources
by kind, a source; where a login lands.

Views are thin: access is `ReviewerPageMixin`, what they show is one queryset recipe.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import DetailView, ListView, RedirectView, TemplateView, View
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView

from claims import graph, pagecache, queue, reads, search
from claims.access import ReviewerPageMixin, start_page_for
from claims.annotating import segment
from claims.filtersets import ClaimFilterSet, EntityIndexFilterSet
from claims.forms import take_review_step
from claims.models import Attribution, Claim, Entity
from claims.pagecache import CachedContentMixin
from claimtracker.pagination import ForgivingPaginationMixin, page_of
from sources.filtersets import ReportIndexFilterSet
from sources.models import Source


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
            recent_reports=reads.reports_with_attribution_counts(
                reads.reports_visible_to(self.request.user).recently_added()
            )[:8],
            recent_claims=claims.for_list_page()[:10],
            **kwargs,
        )


class ClaimListView(ReviewerPageMixin, CachedContentMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = ClaimFilterSet
    paginate_by = 25
    template_name = "claims/claim_list.html"
    content_cache_name = "claim-list"

    def get_queryset(self):
        return Claim.objects.visible_to(self.request.user).for_list_page()

    def get_context_data(self, **kwargs):
        if self.cached_content is not None:  # neither count nor page to read
            return {"view": self, **self.content_cache_context()}
        context = super().get_context_data(**kwargs)
        return {**context, **self.content_cache_context()}


class ClaimDetailView(ReviewerPageMixin, DetailView):
    template_name = "claims/claim_detail.html"

    def get_queryset(self):
        return Claim.objects.visible_to(self.request.user).with_counts().for_detail_page()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.object.review_box(self.request.user), panel=reads.corroboration_panel(self.object), **kwargs
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
    claims_per_page = 50

    def get_queryset(self):
        return Entity.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        claims = Claim.objects.visible_to(self.request.user).filter(entities=self.object).for_list_page()
        pages = page_of(self.request, claims, self.claims_per_page)
        return super().get_context_data(claims=pages["page_obj"].object_list, **pages, **kwargs)


class ReportDetailView(ReviewerPageMixin, CachedContentMixin, DetailView):
    """The report's text with every attributed passage highlighted, and its claims beside it."""

    template_name = "sources/report_detail.html"
    content_cache_name = "report-detail"

    def get_queryset(self):
        return reads.reports_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = {**super().get_context_data(**kwargs), **self.content_cache_context()}
        if self.cached_content is None:
            context.update(self.annotated())
        return context

    def annotated(self) -> dict:
        attributions = list(Attribution.objects.visible_to(self.request.user).for_report(self.object))
        kinds_present = {attribution.source.kind for attribution in attributions}
        # Passages whose claim was rejected or retracted are shown, but must not read as vetted evidence.
        withdrawn = [Claim.Status.REJECTED, Claim.Status.RETRACTED]
        segments = segment(self.object.body, attributions)
        return {
            "attributions": attributions,
            "segments": segments,
            "legend": [kind for kind in Source.Kind if kind in kinds_present],
            "withdrawn_statuses": withdrawn,
            # The legend lists only the looks of passages on this page.
            "any_withdrawn": any(attribution.claim.status in withdrawn for attribution in attributions),
            "any_contradicts": any(a.stance == Attribution.Stance.CONTRADICTS for a in attributions),
            "any_hedged": any(attribution.hedged for attribution in attributions),
            "any_nested": any(len(piece.layers) > 1 for piece in segments),
            "any_relay": any(attribution.relay_of_id for attribution in attributions),
        }


class SourceListView(ReviewerPageMixin, ForgivingPaginationMixin, ListView):
    template_name = "sources/source_list.html"
    context_object_name = "sources"
    paginate_by = 100  # by kind, then label: a page's kinds are grouped as on one long page

    def get_queryset(self):
        return reads.sources_for_sources_page(reads.sources_visible_to(self.request.user))


class SourceDetailView(ReviewerPageMixin, DetailView):
    template_name = "sources/source_detail.html"
    attributions_per_page = 50

    def get_queryset(self):
        return reads.sources_for_source_page(reads.sources_visible_to(self.request.user))

    def get_context_data(self, **kwargs):
        attributions = Attribution.objects.visible_to(self.request.user).filter(source=self.object)
        pages = page_of(self.request, attributions.for_source_page(), self.attributions_per_page)
        return super().get_context_data(attributions=pages["page_obj"].object_list, **pages, **kwargs)


class ReviewQueueView(ReviewerPageMixin, ForgivingPaginationMixin, ListView):
    """/review/: the claims in review this reviewer may vet, the longest waiting first; and, for analysts,
    their own drafts and rejected claims to rework. Both lists are SQL (`claims.queue`): constant queries."""

    template_name = "claims/review_queue.html"
    context_object_name = "awaiting"
    paginate_by = 25
    rework_shown = 50

    def get_queryset(self):
        return queue.awaiting_review_by(self.request.user).with_counts().select_related("created_by")

    def get_context_data(self, **kwargs):
        rework = queue.to_rework_by(self.request.user)
        return super().get_context_data(
            rework=rework[: self.rework_shown],
            rework_count=rework.count(),
            may_vet=self.request.user.has_perm("claims.vet_claim"),
            may_submit=self.request.user.has_perm("claims.submit_claim"),
            **kwargs,
        )


class ReviewCountView(ReviewerPageMixin, View):
    """/review/count/: the menu's badge (static/js/menu.js), two counts in JSON."""

    def get(self, request):
        return JsonResponse(
            {
                "awaiting": queue.awaiting_review_by(request.user).count(),
                "rework": queue.to_rework_by(request.user).count(),
            }
        )


class LookupView(ReviewerPageMixin, View):
    """/lookup/entities/?q= and /lookup/reports/?q=: the rows the words find (`claims.search`'s rule), among
    those the user may read, for the filters' lookups (`claims.widgets.LookupMixin`, static/js/lookup.js).
    JSON: {"results": [{"id", "text"}]}, at most `limit`, with `more` when there are others."""

    limit = 20
    kinds = {
        "entities": (lambda user: Entity.objects.visible_to(user).only("id", "name"), search.ENTITY_FIELDS, "name"),
        "reports": (
            lambda user: reads.reports_visible_to(user).only("id", "title", "outlet", "published"),
            ("title", "outlet", "author"),
            "-published",
        ),
    }

    def get(self, request, kind):
        rows, fields, order = self.kinds[kind]
        found = search.matching(rows(request.user), request.GET.get("q", ""), fields).order_by(order, "pk")
        page = list(found[: self.limit + 1])
        return JsonResponse(
            {
                "results": [{"id": row.pk, "text": str(row)} for row in page[: self.limit]],
                "more": len(page) > self.limit,
            }
        )


class ReportListView(ReviewerPageMixin, ForgivingPaginationMixin, FilterView):
    """/reports/: every report the user may read, newest first, with its attribution count."""

    filterset_class = ReportIndexFilterSet
    paginate_by = 25
    template_name = "sources/report_list.html"

    def get_queryset(self):
        reports = reads.reports_with_attribution_counts(reads.reports_visible_to(self.request.user))
        return reports.defer("body", "note", "original").order_by("-published", "-pk")


class EntityListView(ReviewerPageMixin, ForgivingPaginationMixin, FilterView):
    """/entities/: people, places, organisations and groups, with how many claims concern each."""

    filterset_class = EntityIndexFilterSet
    paginate_by = 50
    template_name = "claims/entity_list.html"

    def get_queryset(self):
        return Entity.objects.visible_to(self.request.user).with_claim_counts().order_by("name", "pk")


class SearchView(ReviewerPageMixin, TemplateView):
    """/search/?q=: the claims, quotes, reports, sources and entities the words find (`claims.search`),
    the first of each kind and how many in all; a fixed number of queries, whatever is found."""

    template_name = "claims/search.html"

    def get_context_data(self, **kwargs):
        q = self.request.GET.get("q", "").strip()
        found = search.everywhere(self.request.user, q) if q else None
        return super().get_context_data(q=q, asked=search.words(q), found=found, **kwargs)


class GraphView(ReviewerPageMixin, TemplateView):
    """/graph/: who says what. static/js/graph.js draws it from /graph/data/ with the same parameters; the page
    lists its first edges as text (what a screen reader or a browser without JavaScript reads)."""

    template_name = "claims/graph.html"

    def get(self, request, *args, **kwargs):
        query = graph.GraphQuery.from_request(request)
        context = self.get_context_data(query=query, errors=query.errors, **kwargs)
        status = 400 if query.errors else 200
        if not query.errors:
            try:
                drawn = graph.build(user=request.user, **query.options())
            except graph.FocusNotFound as missing:
                context["errors"], status = {"focus": [str(missing)]}, 404
            else:
                data_url = f"{reverse('graph_data')}?{request.GET.urlencode()}"
                context.update(drawn=drawn, listing=graph.listing(drawn), data_url=data_url)
        return self.render_to_response(context, status=status)


class GraphDataView(ReviewerPageMixin, View):
    """/graph/data/: the graph as Cytoscape.js elements (`claims.graph`); 400 naming each bad parameter."""

    def get(self, request, *args, **kwargs):
        # Drawn once per data version and reader (`claims.pagecache`): a thousand claims' graph takes a tenth
        # of a second to read and draw, and the page and its focused graphs ask for the same data again.
        key = pagecache.page_key(request, "graph-data")
        drawn = cache.get(key)
        if drawn is not None:
            return HttpResponse(drawn, content_type="application/json")
        query = graph.GraphQuery.from_request(request)
        if query.errors:
            return JsonResponse({"error": query.error_message, "errors": query.errors}, status=400)
        try:
            response = JsonResponse(graph.build(user=request.user, **query.options()))
        except graph.FocusNotFound as missing:
            return JsonResponse({"error": str(missing)}, status=404)
        pagecache.store_content(key, response.content)
        return response
