"""The mailings app's API under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import NewsletterViewSet, SubscriberViewSet, SubscribeView

router = SimpleRouter()
router.register("mailings/subscribers", SubscriberViewSet, basename="subscriber")
router.register("mailings/newsletters", NewsletterViewSet, basename="newsletter")
urlpatterns = [
    path("mailings/subscribe/", SubscribeView.as_view(), name="mailings-subscribe"),
    *router.urls,
]
