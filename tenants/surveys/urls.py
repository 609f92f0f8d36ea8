"""The surveys app's pages."""

app_name = "surveys"
urlpatterns: list[object] = []
