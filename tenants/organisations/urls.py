"""Pages of the organisations app (paths are absolute: the app is included at the site root)."""

from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("broker/organisations/", views.OrganisationListView.as_view(), name="list"),
    path("broker/organisations/new/", views.OrganisationCreateView.as_view(), name="create"),
    path("broker/organisations/<int:pk>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("broker/organisations/<int:pk>/edit/", views.OrganisationEditView.as_view(), name="edit"),
    path(
        "broker/organisations/<int:pk>/active/",
        views.OrganisationActiveView.as_view(),
        name="active",
    ),
    path(
        "broker/organisations/<int:pk>/members/",
        views.OrganisationMembersView.as_view(),
        name="members",
    ),
    path(
        "broker/organisations/<int:pk>/members/<int:participant_pk>/remove/",
        views.OrganisationMemberRemoveView.as_view(),
        name="member-remove",
    ),
]
