"""Pages of the people app (paths are absolute: the app is included at the site root)."""

from django.urls import path

from . import views

app_name = "people"

P = "broker/participants/<int:pk>/"

urlpatterns = [
    path("broker/participants/", views.ParticipantListView.as_view(), name="list"),
    path("broker/participants/new/", views.ParticipantRegisterView.as_view(), name="register"),
    path(P, views.ParticipantDetailView.as_view(), name="detail"),
    path(P + "edit/", views.ParticipantEditView.as_view(), name="edit"),
    path(P + "profile/", views.ProfileView.as_view(), name="profile"),
    path(P + "consents/", views.ConsentView.as_view(), name="consent"),
    path(P + "certificates/", views.CertificateView.as_view(), name="certificate"),
    path(P + "notes/", views.NoteAddView.as_view(), name="note-add"),
    path(P + "notes/<int:note_pk>/", views.NoteEditView.as_view(), name="note-edit"),
    path(P + "held/<int:message_pk>/", views.HeldMessageHandledView.as_view(), name="held-handled"),
    path(P + "export/", views.ExportView.as_view(), name="export"),
    path(P + "erase/", views.EraseView.as_view(), name="erase"),
]
