"""Pages of the referrals app (paths are absolute: the app is included at the site root)."""

from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("broker/referrals/", views.ReferralListView.as_view(), name="list"),
    path("broker/referrals/new/in/", views.ReferralInCreateView.as_view(), name="create-in"),
    path("broker/referrals/new/out/", views.ReferralOutCreateView.as_view(), name="create-out"),
    path("broker/referrals/<int:pk>/", views.ReferralDetailView.as_view(), name="detail"),
    path("broker/referrals/<int:pk>/edit/", views.ReferralEditView.as_view(), name="edit"),
    path("broker/group-visits/", views.GroupVisitListView.as_view(), name="group-visits"),
    path(
        "broker/group-visits/new/", views.GroupVisitCreateView.as_view(), name="group-visit-create"
    ),
    path("broker/group-visits/<int:pk>/", views.GroupVisitDetailView.as_view(), name="group-visit"),
]
