"""The credits app's pages (none yet: the API comes first; docs/features/credits.md)."""

app_name = "credits"
urlpatterns: list[object] = []
