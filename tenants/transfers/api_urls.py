"""The transfers app's API under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import TransferViewSet

router = SimpleRouter()
router.register("transfers", TransferViewSet, basename="transfer")
urlpatterns = router.urls
