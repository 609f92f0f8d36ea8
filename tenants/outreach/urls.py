"""The outreach app's pages."""

app_name = "outreach"
urlpatterns: list[object] = []
