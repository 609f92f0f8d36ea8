"""The stories app's pages."""

app_name = "stories"
urlpatterns: list[object] = []
