from django.urls import path

from sources import views

urlpatterns = [
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("sources/", views.SourceListView.as_view(), name="source_list"),
    path("sources/<int:pk>/", views.SourceDetailView.as_view(), name="source_detail"),
]
