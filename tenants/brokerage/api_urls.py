"""The brokerage app's API under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("routing-steps", api.RoutingStepViewSet, basename="routing-step")
router.register("trajectories", api.TrajectoryViewSet, basename="trajectory")
router.register("support-conversations", api.ConversationViewSet, basename="support-conversation")
router.register("moderation/ads", api.ModerationAdViewSet, basename="moderation-ad")
router.register("moderation/reports", api.ReportViewSet, basename="moderation-report")
router.register("broker-ads", api.BrokerAdViewSet, basename="broker-ad")
urlpatterns = [
    path("broker/dashboard/", api.DashboardView.as_view(), name="broker-dashboard"),
    *router.urls,
]
