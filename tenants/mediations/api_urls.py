"""The mediations app's API under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import FollowUpViewSet, MediationViewSet, PlacementViewSet

router = SimpleRouter()
router.register("mediations", MediationViewSet, basename="mediation")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")
router.register("placements", PlacementViewSet, basename="placement")
urlpatterns = router.urls
