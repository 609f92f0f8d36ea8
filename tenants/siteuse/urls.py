"""The siteuse app's pages."""

app_name = "siteuse"
urlpatterns: list[object] = []
