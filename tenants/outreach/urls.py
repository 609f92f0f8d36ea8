"""The outreach app's pages (paths are absolute: the app is included at the site root)."""

from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("broker/printables/", views.PrintablesView.as_view(), name="printables"),
    path("broker/printables/poster.pdf", views.PrintableDownload.as_view(), name="poster"),
    path(
        "broker/printables/postcard.pdf",
        views.PrintableDownload.as_view(kind="postcard"),
        name="postcard",
    ),
    path(
        "broker/participants/<int:pk>/digest/",
        views.ParticipantDigestView.as_view(),
        name="participant-digest",
    ),
    path("ads/mine/digest/", views.MyDigestView.as_view(), name="my-digest"),
    path("digest/stop/<str:token>/", views.StopDigestView.as_view(), name="digest-stop"),
]
