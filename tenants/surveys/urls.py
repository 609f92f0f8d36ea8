"""The surveys app's pages (paths are absolute: the app is included at the site root)."""

from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("survey/thanks/", views.ThanksView.as_view(), name="thanks"),
    path("survey/<str:token>/", views.SurveyView.as_view(), name="answer"),
    path("broker/surveys/", views.InvitationListView.as_view(), name="invitations"),
    path("broker/surveys/<int:pk>/paper/", views.PaperEntryView.as_view(), name="paper"),
    path("broker/surveys/remarks/", views.RemarkListView.as_view(), name="remarks"),
]
