"""The statistics app's API under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import StatisticsViewSet

router = SimpleRouter()
router.register("statistics", StatisticsViewSet, basename="statistics")
urlpatterns = router.urls
