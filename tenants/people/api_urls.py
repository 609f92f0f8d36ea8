"""The people app's API under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import HeldMessageViewSet, NoteViewSet, ParticipantViewSet

router = SimpleRouter()
router.register("participants", ParticipantViewSet, basename="participant")
router.register("participant-notes", NoteViewSet, basename="participant-note")
router.register("held-messages", HeldMessageViewSet, basename="held-message")
urlpatterns = router.urls
