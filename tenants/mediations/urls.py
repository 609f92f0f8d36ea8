"""Pages of the mediations app (paths are absolute: the app is included at the site root)."""

from django.urls import path  # noqa: F401

app_name = "mediations"
urlpatterns: list = []
