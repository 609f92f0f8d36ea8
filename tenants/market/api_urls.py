"""The market app's API under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, api_responses

router = SimpleRouter()
# --- market-place ---
router.register("ads", api.AdViewSet, basename="ad")
router.register("categories", api.CategoryViewSet, basename="category")
router.register("sub-areas", api.SubAreaViewSet, basename="sub-area")
router.register("people", api.PersonViewSet, basename="person")
# --- end market-place ---
urlpatterns = router.urls

# Responding, reports, the owner's reply, "did it work out?" and held responses
# (market-respond).
held_router = SimpleRouter()
held_router.register(
    "held-responses", api_responses.HeldResponseViewSet, basename="market-held-response"
)
urlpatterns += [
    path(
        "ads/<int:pk>/responses/", api_responses.RespondView.as_view(), name="market-ad-responses"
    ),
    path("ads/<int:pk>/reports/", api_responses.ReportView.as_view(), name="market-ad-reports"),
    path("replies/<str:token>/", api_responses.ReplyView.as_view(), name="market-reply"),
    path("outcomes/<str:token>/", api_responses.OutcomeView.as_view(), name="market-outcome"),
    *held_router.urls,
]
