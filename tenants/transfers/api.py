"""Import and export endpoints, for brokers and admins. The API keeps nothing between calls:
preview an upload, then send the same file again to import it."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from tijdvoorelkaar.accounts.access import StaffViewSet
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from .preview.characters import flag_unusual_names
from .preview.checks import check_rows
from .preview.columns import EXPORTED, KINDS, REWARDS, Row, map_columns, mapped_rows
from .reading import ENCODINGS, UploadProblem, read_table, upload_bytes
from .services import ImportRefused, export_table, import_rows


class UploadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    # A plain string (checked below) rather than a choice: an enum named "kind" would collide
    # in the schema with the organisations' and ads' kinds.
    kind = serializers.CharField(
        help_text="participants, mediations, or (where time credits are on) rewards"
    )
    file = serializers.FileField()
    encoding = serializers.ChoiceField(
        choices=list(ENCODINGS),
        required=False,
        help_text="How to read a CSV; detected when left out (UTF-8, else Windows-1252).",
    )

    def validate_kind(self, value: str) -> str:
        if value not in KINDS or (value == REWARDS and not current_neighbourhood().credits_enabled):
            raise serializers.ValidationError(_("Choose participants or mediations."))
        return value


class ImportSerializer(UploadSerializer):
    only_good_rows = serializers.BooleanField(default=False)
    consent_confirmed = serializers.BooleanField(
        default=False,
        help_text=(
            "Participants only, required: they agreed earlier (e.g. on paper) to their details "
            "being stored; recorded as each one's registration consent."
        ),
    )


class RowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    line = serializers.IntegerField()
    values = serializers.DictField(child=serializers.CharField())
    errors = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())


class PreviewSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField()
    encoding = serializers.CharField(allow_null=True, help_text="How the CSV was read")
    unknown_columns = serializers.ListField(child=serializers.CharField())
    ignored_columns = serializers.ListField(child=serializers.CharField())
    good_rows = serializers.IntegerField()
    rows_with_errors = serializers.IntegerField()
    rows = RowSerializer(many=True)


class ImportedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    imported = serializers.IntegerField()
    skipped = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField())


class RefusedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A 400: the import refused as a whole (`detail` and the `rows` with their errors), or,
    like any other request, the fields and their problems (`{"kind": ["…"]}`)."""

    detail = serializers.CharField(required=False)
    rows = RowSerializer(many=True, required=False)


def _rows(rows: list[Row]) -> list[dict[str, Any]]:
    return [
        {"line": r.line, "values": r.values, "errors": r.errors, "warnings": r.warnings}
        for r in rows
    ]


class TransferViewSet(StaffViewSet):
    """Upload participants or mediations (CSV or XLSX) for a preview with errors per row,
    import them (all or nothing; `only_good_rows` skips rows with errors), and export."""

    parser_classes = [MultiPartParser, FormParser]
    serializer_class = UploadSerializer

    def _read(self, request: Request, serializer_class: type[UploadSerializer]) -> Any:
        incoming = serializer_class(data=request.data)
        incoming.is_valid(raise_exception=True)
        upload = incoming.validated_data["file"]
        kind = incoming.validated_data["kind"]
        try:
            table = read_table(
                name=upload.name or "",
                data=upload_bytes(upload),
                encoding=incoming.validated_data.get("encoding"),
            )
        except UploadProblem as problem:
            raise serializers.ValidationError({"file": [str(problem)]}) from None
        columns = map_columns(kind, table.headers)
        if columns.missing:
            raise serializers.ValidationError(
                {"file": [_("Columns missing: %(names)s.") % {"names": ", ".join(columns.missing)}]}
            )
        return (
            {**incoming.validated_data, "encoding": table.encoding},
            columns,
            mapped_rows(table, columns),
        )

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses=PreviewSerializer)
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        data, columns, rows = self._read(request, UploadSerializer)
        checked = flag_unusual_names(check_rows(data["kind"], rows), data["encoding"])
        return Response(
            {
                "kind": data["kind"],
                "encoding": data["encoding"],
                "unknown_columns": columns.unknown,
                "ignored_columns": columns.ignored,
                "good_rows": sum(1 for r in checked if r.ok),
                "rows_with_errors": sum(1 for r in checked if not r.ok),
                "rows": _rows(checked),
            }
        )

    @extend_schema(
        request={"multipart/form-data": ImportSerializer},
        responses={201: ImportedSerializer, 400: RefusedSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_(self, request: Request) -> Response:
        data, _columns, rows = self._read(request, ImportSerializer)
        try:
            result = import_rows(
                kind=data["kind"],
                rows=rows,
                only_good_rows=data["only_good_rows"],
                consent_confirmed=data["consent_confirmed"],
                by=request.user,
            )
        except ImportRefused as refused:
            return Response(
                {"detail": refused.message, "rows": _rows(refused.rows)},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {"imported": result.imported, "skipped": result.skipped, "ids": result.ids},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind", OpenApiTypes.STR, description="participants or mediations", required=True
            ),
            OpenApiParameter("file_format", OpenApiTypes.STR, enum=["csv", "xlsx"], required=True),
        ],
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponse:
        kind = request.query_params.get("kind", "")
        file_format = request.query_params.get("file_format", "")
        if kind not in EXPORTED or file_format not in ("csv", "xlsx"):
            raise serializers.ValidationError(
                {"kind": [f"one of {', '.join(EXPORTED)}"], "file_format": ["csv or xlsx"]}
            )
        export = export_table(kind=kind, file_format=file_format, by=request.user)
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Cache-Control"] = "no-store"
        return response
