"""The API's documentation page (Swagger UI, from drf-spectacular-sidecar's local files).

The split view loads its start-up script as a separate request, so the page needs no inline
script. Swagger UI does style its elements inline and draws its icons as data: images, so
this page alone may do that; scripts stay the platform's own. The page is drf-spectacular's
with a page language (`api_docs/swagger_ui.html`)."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularSwaggerSplitView

SWAGGER_UI_ALLOWANCE = {"style-src": [UNSAFE_INLINE], "img-src": ["data:"]}

api_docs_view = csp_update(SWAGGER_UI_ALLOWANCE, REPORT_ONLY=True)(
    csp_update(SWAGGER_UI_ALLOWANCE)(
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api_docs/swagger_ui.html"
        )
    )
)
