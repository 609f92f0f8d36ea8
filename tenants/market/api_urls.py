"""The market app's API under /api/v1/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("ads", api.AdViewSet, basename="ad")
router.register("categories", api.CategoryViewSet, basename="category")
router.register("sub-areas", api.SubAreaViewSet, basename="sub-area")
router.register("people", api.PersonViewSet, basename="person")
urlpatterns = router.urls
