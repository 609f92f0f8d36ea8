"""URLs of a neighbourhood's own domain."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from tenants.siteadmin.api import NeighbourhoodSettingsView, StaffViewSet
from tijdvoorelkaar.accounts.views import TokenView

router = SimpleRouter()
router.register("staff", StaffViewSet, basename="staff")

urlpatterns = [
    path("", include("tenants.home.urls")),
    path("accounts/", include("tijdvoorelkaar.accounts.urls")),
    path("manage/", include("tenants.siteadmin.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/v1/neighbourhood/", NeighbourhoodSettingsView.as_view(), name="api-neighbourhood"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(urlconf=__name__), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
