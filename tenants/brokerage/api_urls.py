"""The brokerage app's API under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import ads, conversations, dashboard, moderation, routing

router = SimpleRouter()
router.register("routing-steps", routing.RoutingStepViewSet, basename="routing-step")
router.register("trajectories", routing.TrajectoryViewSet, basename="trajectory")
router.register(
    "support-conversations", conversations.ConversationViewSet, basename="support-conversation"
)
router.register("moderation/ads", moderation.ModerationAdViewSet, basename="moderation-ad")
router.register("moderation/reports", moderation.ReportViewSet, basename="moderation-report")
router.register("broker-ads", ads.BrokerAdViewSet, basename="broker-ad")
urlpatterns = [
    path("broker/dashboard/", dashboard.DashboardView.as_view(), name="broker-dashboard"),
    *router.urls,
]
