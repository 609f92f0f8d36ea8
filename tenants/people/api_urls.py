"""The people app's API under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api.participants import ParticipantViewSet
from .api.records import HeldMessageViewSet, NoteViewSet

router = SimpleRouter()
router.register("participants", ParticipantViewSet, basename="participant")
router.register("participant-notes", NoteViewSet, basename="participant-note")
router.register("held-messages", HeldMessageViewSet, basename="held-message")
urlpatterns = router.urls
