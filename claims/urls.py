from django.urls import path

from claims import views

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("claims/", views.ClaimListView.as_view(), name="claim_list"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim_detail"),
    path("claims/<int:pk>/review/", views.ClaimReviewView.as_view(), name="claim_review"),
    path("entities/<int:pk>/", views.EntityDetailView.as_view(), name="entity_detail"),
]
