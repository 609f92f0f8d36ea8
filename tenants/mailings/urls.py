"""The mailings app's pages."""

app_name = "mailings"
urlpatterns: list[object] = []
