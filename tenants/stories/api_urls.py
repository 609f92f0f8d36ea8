"""The stories app's API under /api/v1/ (the staff's set first: its prefix would otherwise
read as a story's id)."""

from rest_framework.routers import SimpleRouter

from .api import PublicStoryViewSet, StoryManageViewSet

router = SimpleRouter()
router.register("stories/manage", StoryManageViewSet, basename="story-manage")
router.register("stories", PublicStoryViewSet, basename="story")
urlpatterns = router.urls
