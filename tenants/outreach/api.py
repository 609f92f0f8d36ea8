"""The printables under /api/v1/printables/ (staff): the poster and the postcard as PDF."""

from __future__ import annotations

from typing import Any

from django.db import connection
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, serializers
from rest_framework.request import Request

from tijdvoorelkaar.accounts.access import StaffAPIView

from .printables import LANGUAGES, SIZES, postcard_pdf, poster_pdf
from .views import pdf_response


class PdfRenderer(renderers.BaseRenderer):
    """Lets a client ask for `application/pdf`; errors still come back as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: Any = None, context: Any = None) -> bytes:
        return renderers.JSONRenderer().render(data) if not isinstance(data, bytes) else data


class PrintableQuery(serializers.Serializer):  # type: ignore[type-arg]
    language = serializers.ChoiceField(choices=LANGUAGES, default="nl")
    size = serializers.ChoiceField(choices=SIZES, default="A4")


PDF = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF.")}
LANGUAGE = OpenApiParameter("language", OpenApiTypes.STR, enum=list(LANGUAGES))
SIZE = OpenApiParameter("size", OpenApiTypes.STR, enum=list(SIZES))
# Two renderers make drf-spectacular offer `?format=`; the answer is a PDF whatever it says.
NO_FORMAT = OpenApiParameter("format", exclude=True)


class PrintableView(StaffAPIView):
    renderer_classes = [renderers.JSONRenderer, PdfRenderer]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)  # never a 404 or 406

    def query(self, request: Request) -> dict[str, str]:
        incoming = PrintableQuery(data=request.query_params)
        incoming.is_valid(raise_exception=True)
        return dict(incoming.validated_data)


class PosterView(PrintableView):
    """This month's requests and offers with tear-off strips (the broker's phone, the ad's
    number), A4 or A3, in the neighbourhood's theme."""

    @extend_schema(parameters=[LANGUAGE, SIZE, NO_FORMAT], responses=PDF)
    def get(self, request: Request) -> Any:
        query = self.query(request)
        data = poster_pdf(
            neighbourhood=connection.tenant, language=query["language"], size=query["size"]
        )
        return pdf_response(data, f"poster-{query['size']}-{query['language']}.pdf")


class PostcardView(PrintableView):
    """The A6 postcard, two sides: the method in plain words and the broker's contact."""

    @extend_schema(parameters=[LANGUAGE, NO_FORMAT], responses=PDF)
    def get(self, request: Request) -> Any:
        query = self.query(request)
        data = postcard_pdf(neighbourhood=connection.tenant, language=query["language"])
        return pdf_response(data, f"postcard-{query['language']}.pdf")
