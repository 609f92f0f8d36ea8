"""The statistics app's pages (paths are absolute: the app is included at the site root)."""

from django.urls import path

from . import views

app_name = "statistics"
urlpatterns = [
    path("broker/report/", views.ReportView.as_view(), name="report"),
    path("broker/report/compute/", views.ComputeView.as_view(), name="compute"),
    path("broker/report/progress/<int:pk>/", views.ProgressView.as_view(), name="progress"),
    *(
        path(
            f"broker/report/export.{format}",
            views.ExportView.as_view(),
            {"format": format},
            name=f"export-{format}",
        )
        for format in ("csv", "xlsx", "pdf")
    ),
]
