"""The siteuse app's API under /api/v1/."""

urlpatterns: list[object] = []
