from django.urls import path

from . import backups, views

app_name = "console"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("neighbourhoods/new/", views.NewNeighbourhoodView.as_view(), name="new"),
    path("neighbourhoods/<slug:slug>/", views.NeighbourhoodView.as_view(), name="neighbourhood"),
    path("neighbourhoods/<slug:slug>/archive/", views.ArchiveView.as_view(), name="archive"),
    path(
        "neighbourhoods/<slug:slug>/invite/",
        views.ResendInvitationView.as_view(),
        name="resend-invitation",
    ),
    path("neighbourhoods/<slug:slug>/delete/", views.DeleteView.as_view(), name="delete"),
    path("figures/", views.HeadlinesView.as_view(), name="headlines"),
    path("figures/export.csv", views.HeadlinesCsvView.as_view(), name="headlines-csv"),
    path("jobs/<uuid:job_id>/", views.JobView.as_view(), name="job"),
    path("backups/", backups.BackupsView.as_view(), name="backups"),
    path("backups/jobs/<uuid:job_id>/", backups.OperationJobView.as_view(), name="operation-job"),
    path(
        "backups/<slug:slug>/",
        backups.NeighbourhoodBackupsView.as_view(),
        name="neighbourhood-backups",
    ),
    path("backups/<slug:slug>/back-up/", backups.BackUpNowView.as_view(), name="back-up"),
    path("backups/<slug:slug>/<str:key>/restore/", backups.RestoreView.as_view(), name="restore"),
    path("backups/<slug:slug>/<str:key>/replace/", backups.ReplaceView.as_view(), name="replace"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/<str:name>/", views.InboxView.as_view(), name="inbox-message"),
]
