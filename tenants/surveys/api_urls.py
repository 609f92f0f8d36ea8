"""The surveys app's API under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import InvitationViewSet, RemarkListView, SurveyFiguresView

router = SimpleRouter()
router.register("surveys/invitations", InvitationViewSet, basename="survey-invitation")

urlpatterns = [
    path("surveys/figures/", SurveyFiguresView.as_view(), name="survey-figures"),
    path("surveys/remarks/", RemarkListView.as_view(), name="survey-remarks"),
    *router.urls,
]
