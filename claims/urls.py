from django.urls import path

from claims import views

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("claims/", views.ClaimListView.as_view(), name="claim_list"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim_detail"),
    path("claims/<int:pk>/review/", views.ClaimReviewView.as_view(), name="claim_review"),
    path("review/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("review/count/", views.ReviewCountView.as_view(), name="review_count"),
    path("entities/", views.EntityListView.as_view(), name="entity_list"),
    path("entities/<int:pk>/", views.EntityDetailView.as_view(), name="entity_detail"),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("sources/", views.SourceListView.as_view(), name="source_list"),
    path("sources/<int:pk>/", views.SourceDetailView.as_view(), name="source_detail"),
    path("graph/", views.GraphView.as_view(), name="graph"),
    path("graph/data/", views.GraphDataView.as_view(), name="graph_data"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("lookup/entities/", views.LookupView.as_view(), {"kind": "entities"}, name="lookup_entities"),
    path("lookup/reports/", views.LookupView.as_view(), {"kind": "reports"}, name="lookup_reports"),
]
