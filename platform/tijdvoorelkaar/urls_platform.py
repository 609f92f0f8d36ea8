"""URLs of the platform domain: the operator console and the operator API."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from tijdvoorelkaar.accounts.views import TokenView
from tijdvoorelkaar.api_docs import api_docs_view
from tijdvoorelkaar.headlines.api import HeadlinesView
from tijdvoorelkaar.neighbourhoods.api import NeighbourhoodViewSet, ProvisioningJobViewSet
from tijdvoorelkaar.operations import api as operations_api
from tijdvoorelkaar.theming.views import ThemeVariablesView

router = SimpleRouter()
router.register("neighbourhoods", NeighbourhoodViewSet, basename="neighbourhood")
router.register("provisioning-jobs", ProvisioningJobViewSet, basename="provisioning-job")

handler404 = "tijdvoorelkaar.api_exceptions.not_found"

urlpatterns = [
    path("", include("tijdvoorelkaar.console.urls")),
    path("accounts/", include("tijdvoorelkaar.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/v1/headlines/", HeadlinesView.as_view(), name="api-headlines"),
    path("api/v1/backups/", operations_api.BackupsView.as_view(), name="api-backups"),
    path(
        "api/v1/backups/<slug:slug>/",
        operations_api.NeighbourhoodBackupsView.as_view(),
        name="api-neighbourhood-backups",
    ),
    path(
        "api/v1/backups/<slug:slug>/<str:key>/restore/",
        operations_api.RestoreView.as_view(),
        name="api-restore",
    ),
    path(
        "api/v1/operation-jobs/<uuid:job_id>/",
        operations_api.OperationJobView.as_view(),
        name="api-operation-job",
    ),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(urlconf=__name__), name="api-schema"),
    path("api/docs/", api_docs_view, name="api-docs"),
    path("theme.css", ThemeVariablesView.as_view(), name="theme-variables"),
]

handler500 = "tijdvoorelkaar.theming.views.server_error"
