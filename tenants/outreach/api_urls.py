"""The outreach app's API under /api/v1/."""

from django.urls import path

from .api import PostcardView, PosterView

urlpatterns = [
    path("printables/poster/", PosterView.as_view(), name="printable-poster"),
    path("printables/postcard/", PostcardView.as_view(), name="printable-postcard"),
]
