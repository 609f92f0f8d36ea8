"""Pages of the market app (paths are absolute: the app is included at the site root)."""

from django.urls import path

from .views import outcomes as outcome_views
from .views import responses as response_views

app_name = "market"
urlpatterns: list = []

# Responding, the owner's reply, reports and "did it work out?" (market-respond).
urlpatterns += [
    path("ads/<int:pk>/respond/", response_views.RespondView.as_view(), name="respond"),
    path("ads/<int:pk>/respond/sent/", response_views.RespondedView.as_view(), name="responded"),
    path("ads/<int:pk>/report/", response_views.ReportView.as_view(), name="report"),
    path("ads/<int:pk>/report/sent/", response_views.ReportedView.as_view(), name="reported"),
    path("responses/<str:token>/reply/", response_views.ReplyView.as_view(), name="reply"),
    path(
        "outcome/<str:token>/yes/",
        outcome_views.OutcomeView.as_view(),
        {"answer": "yes"},
        name="outcome_yes",
    ),
    path(
        "outcome/<str:token>/no/",
        outcome_views.OutcomeView.as_view(),
        {"answer": "no"},
        name="outcome_no",
    ),
]
