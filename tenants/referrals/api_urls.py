"""The referrals app's API under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import GroupVisitViewSet, ReferralViewSet

router = SimpleRouter()
router.register("referrals", ReferralViewSet, basename="referral")
router.register("group-visits", GroupVisitViewSet, basename="group-visit")
urlpatterns = router.urls
