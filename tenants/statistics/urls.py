"""The statistics app's pages."""

app_name = "statistics"
urlpatterns: list[object] = []
