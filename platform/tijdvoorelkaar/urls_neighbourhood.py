"""URLs of a neighbourhood's own domain.

Each capability app in SITE_APPS owns its paths: `urls.py` (pages, absolute paths) and
`api_urls.py` (its API, included under /api/v1/).
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from tenants.siteadmin.api import NeighbourhoodSettingsView, StaffViewSet
from tijdvoorelkaar.accounts.views import TokenView
from tijdvoorelkaar.api_docs import api_docs_view
from tijdvoorelkaar.theming.views import ThemeVariablesView

SITE_APPS = [
    "tenants.people",
    "tenants.organisations",
    "tenants.market",
    "tenants.responding",
    "tenants.mediations",
    "tenants.brokerage",
    "tenants.referrals",
    "tenants.credits",
    "tenants.stories",
    "tenants.surveys",
    "tenants.transfers",
    "tenants.mailings",
    "tenants.outreach",
    "tenants.statistics",
]

router = SimpleRouter()
router.register("staff", StaffViewSet, basename="staff")

handler404 = "tijdvoorelkaar.api_exceptions.not_found"

urlpatterns = [
    path("", include("tenants.home.urls")),
    path("accounts/", include("tijdvoorelkaar.accounts.urls")),
    path("manage/", include("tenants.siteadmin.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    *(path("", include(f"{app}.urls")) for app in SITE_APPS),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/v1/neighbourhood/", NeighbourhoodSettingsView.as_view(), name="api-neighbourhood"),
    path("api/v1/", include(router.urls)),
    *(path("api/v1/", include(f"{app}.api_urls")) for app in SITE_APPS),
    path("api/schema/", SpectacularAPIView.as_view(urlconf=__name__), name="api-schema"),
    path("api/docs/", api_docs_view, name="api-docs"),
    path("theme.css", ThemeVariablesView.as_view(), name="theme-variables"),
]

handler500 = "tijdvoorelkaar.theming.views.server_error"
