"""The market app's API under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import ads, lists

router = SimpleRouter()
router.register("ads", ads.AdViewSet, basename="ad")
router.register("categories", lists.CategoryViewSet, basename="category")
router.register("sub-areas", lists.SubAreaViewSet, basename="sub-area")
router.register("people", lists.PersonViewSet, basename="person")
urlpatterns = router.urls
