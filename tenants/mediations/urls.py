"""Pages of the mediations app (paths are absolute: the app is included at the site root)."""

from django.urls import path

from . import views

app_name = "mediations"
urlpatterns = [
    path("broker/mediations/", views.MediationListView.as_view(), name="list"),
    path("broker/mediations/new/", views.MediationCreateView.as_view(), name="create"),
    path("broker/mediations/<int:pk>/", views.MediationDetailView.as_view(), name="detail"),
    path("broker/mediations/follow-ups/", views.FollowUpsDueView.as_view(), name="follow-ups"),
    path(
        "broker/mediations/follow-ups/<int:pk>/done/",
        views.FollowUpDoneView.as_view(),
        name="follow-up-done",
    ),
    path("broker/mediations/suggest/", views.SuggestView.as_view(), name="suggest"),
    path("broker/mediations/placements/", views.PlacementListView.as_view(), name="placements"),
    path(
        "broker/mediations/placements/<int:pk>/end/",
        views.PlacementEndView.as_view(),
        name="placement-end",
    ),
]
