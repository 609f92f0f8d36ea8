"""Pages of the transfers app (paths are absolute: the app is included at the site root)."""

from django.urls import path

from . import views

app_name = "transfers"
urlpatterns = [
    path("broker/transfers/", views.TransfersView.as_view(), name="index"),
    path("broker/transfers/preview/", views.PreviewView.as_view(), name="preview"),
    path("broker/transfers/export/", views.ExportView.as_view(), name="export"),
]
