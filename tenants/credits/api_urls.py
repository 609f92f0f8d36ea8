"""The credits app's API under /api/v1/credits/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import AccountViewSet, OverviewView, RewardJobViewSet, TransferViewSet

router = SimpleRouter()
router.register("credits/accounts", AccountViewSet, basename="credit-account")
router.register("credits/transfers", TransferViewSet, basename="credit-transfer")
router.register("credits/reward-jobs", RewardJobViewSet, basename="credit-reward-job")
urlpatterns = [
    path("credits/overview/", OverviewView.as_view(), name="credit-overview"),
    *router.urls,
]
