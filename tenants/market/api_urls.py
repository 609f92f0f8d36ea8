"""The market app's API under /api/v1/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
# --- market-place ---
router.register("ads", api.AdViewSet, basename="ad")
router.register("categories", api.CategoryViewSet, basename="category")
router.register("sub-areas", api.SubAreaViewSet, basename="sub-area")
router.register("people", api.PersonViewSet, basename="person")
# --- end market-place ---
urlpatterns = router.urls
