"""Pages for responding to an ad, the owner's reply, reports and "did it work out?" (paths
are absolute: the app is included at the site root, beside the marketplace's /ads/ pages)."""

from django.urls import path

from .views import outcomes, responses

app_name = "responding"

urlpatterns = [
    path("ads/<int:pk>/respond/", responses.RespondView.as_view(), name="respond"),
    path("ads/<int:pk>/respond/sent/", responses.RespondedView.as_view(), name="responded"),
    path("ads/<int:pk>/report/", responses.ReportView.as_view(), name="report"),
    path("ads/<int:pk>/report/sent/", responses.ReportedView.as_view(), name="reported"),
    path("responses/<str:token>/reply/", responses.ReplyView.as_view(), name="reply"),
    path(
        "outcome/<str:token>/yes/",
        outcomes.OutcomeView.as_view(),
        {"answer": "yes"},
        name="outcome_yes",
    ),
    path(
        "outcome/<str:token>/no/",
        outcomes.OutcomeView.as_view(),
        {"answer": "no"},
        name="outcome_no",
    ),
]
