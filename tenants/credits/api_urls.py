"""The credits app's API under /api/v1/credits/."""

from rest_framework.routers import SimpleRouter

from .api import AccountViewSet, TransferViewSet

router = SimpleRouter()
router.register("credits/accounts", AccountViewSet, basename="credit-account")
router.register("credits/transfers", TransferViewSet, basename="credit-transfer")
urlpatterns = router.urls
