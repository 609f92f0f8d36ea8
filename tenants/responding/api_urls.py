"""Responding's API under /api/v1/: responses, reports, the owner's reply, "did it work out?"
and the responses held for the broker."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("held-responses", api.HeldResponseViewSet, basename="responding-held-response")
urlpatterns = [
    path("ads/<int:pk>/responses/", api.RespondView.as_view(), name="responding-ad-responses"),
    path("ads/<int:pk>/reports/", api.ReportView.as_view(), name="responding-ad-reports"),
    path("replies/<str:token>/", api.ReplyView.as_view(), name="responding-reply"),
    path("outcomes/<str:token>/", api.OutcomeView.as_view(), name="responding-outcome"),
    *router.urls,
]
