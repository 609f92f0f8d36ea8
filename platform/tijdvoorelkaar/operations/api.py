"""The operator's REST endpoints for backups and restores (platform domain only): the same
services and jobs as the console's Backups pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from tijdvoorelkaar.accounts.access import OperatorAPIView
from tijdvoorelkaar.neighbourhoods.jobs import job_progress
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.naming import SLUG_MAX_LENGTH

from .forms import ReplaceForm
from .jobs import start_backup, start_restore
from .models import OperationJob
from .selectors import backed_up_neighbourhoods, dump_of, dumps_of

# A neighbourhood's state on the Backups list (named in settings' ENUM_NAME_OVERRIDES).
BACKED_UP_STATUSES = ["active", "archived", "deleted"]


class BackedUpSerializer(serializers.Serializer):  # type: ignore[type-arg]
    slug = serializers.CharField()
    name = serializers.CharField(help_text="The neighbourhood's name; its slug once deleted.")
    status = serializers.ChoiceField(choices=BACKED_UP_STATUSES)
    backups = serializers.IntegerField(help_text="How many backups there are.")
    newest = serializers.DateTimeField(allow_null=True)


class DumpSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(help_text="Names the backup in a restore's path.")
    kind = serializers.ChoiceField(
        choices=["backup", "deletion"],
        help_text="`deletion`: the dump a deletion left (data only, restored archived).",
    )
    written_at = serializers.DateTimeField()
    size = serializers.IntegerField(help_text="Bytes, photos included.")
    migration_state = serializers.CharField(
        allow_blank=True, help_text="The blueprint fingerprint of the code that wrote it."
    )
    matches_code = serializers.BooleanField(
        allow_null=True,
        help_text="Written by this code's migrations; false: migrated forward if older, "
        "refused if newer; null: unknown (a deletion's dump).",
    )


class RestoreRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    slug = serializers.CharField(
        max_length=SLUG_MAX_LENGTH,
        required=False,
        default="",
        allow_blank=True,
        help_text="A new slug to restore a copy under (archived, to inspect). Empty: under "
        "the backup's own slug, which must be free unless `replace`.",
    )
    domains = serializers.ListField(
        child=serializers.CharField(max_length=253),
        required=False,
        allow_null=True,
        default=None,
        help_text="Host names. Omitted: none for a copy, the backup's own otherwise.",
    )
    replace = serializers.BooleanField(
        default=False, help_text="Replace the live neighbourhood of the backup's own slug."
    )
    confirm = serializers.CharField(
        max_length=SLUG_MAX_LENGTH,
        required=False,
        default="",
        allow_blank=True,
        help_text="With `replace`: the slug again, to confirm.",
    )


class OperationJobSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    live = serializers.SerializerMethodField()

    class Meta:
        model = OperationJob
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "step",
            "error",
            "result",
            "created_at",
            "finished_at",
            "live",
        ]
        read_only_fields = fields

    def get_live(self, obj: OperationJob) -> dict[str, Any]:
        return job_progress(obj)


class BackupsView(mixins.ListModelMixin, OperatorAPIView):
    """Every live neighbourhood and every deleted one whose backups remain, with how many
    backups each has."""

    serializer_class = BackedUpSerializer

    def get(self, request: Request) -> Response:
        return self.list(request)

    def get_queryset(self) -> list[dict[str, Any]]:
        return [
            {
                "slug": row.slug,
                "name": row.neighbourhood.name if row.neighbourhood else row.slug,
                "status": row.neighbourhood.status if row.neighbourhood else "deleted",
                "backups": row.count,
                "newest": row.newest,
            }
            for row in backed_up_neighbourhoods()
        ]


def _live(slug: str) -> Neighbourhood | None:
    return Neighbourhood.objects.exclude(schema_name="public").filter(slug=slug).first()


class NeighbourhoodBackupsView(mixins.ListModelMixin, OperatorAPIView):
    """One neighbourhood's backups, newest first (GET); back it up now (POST, a job)."""

    serializer_class = DumpSerializer

    @extend_schema(operation_id="v1_backups_of_neighbourhood_list")
    def get(self, request: Request, slug: str) -> Response:
        return self.list(request)

    def get_queryset(self) -> list[dict[str, Any]]:
        slug = self.kwargs["slug"]
        dumps = dumps_of(slug)
        if not dumps and _live(slug) is None:
            raise Http404
        return [
            {
                "key": d.key,
                "kind": "deletion" if d.is_deletion else "backup",
                "written_at": d.written_at,
                "size": d.size,
                "migration_state": d.migration_state,
                "matches_code": d.matches_code,
            }
            for d in dumps
        ]

    @extend_schema(request=None, responses={202: OperationJobSerializer})
    def post(self, request: Request, slug: str) -> Response:
        neighbourhood = _live(slug)
        if neighbourhood is None:
            raise Http404
        job = start_backup(neighbourhood=neighbourhood, requested_by=request.user)
        return Response(OperationJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class RestoreView(OperatorAPIView):
    """Restore one backup, in the background: as a copy under a new `slug` (archived, to
    inspect), under its own slug when that neighbourhood is gone, or over the live one with
    `replace` and `confirm` (a backup of the live one is written first)."""

    serializer_class = RestoreRequestSerializer

    @extend_schema(request=RestoreRequestSerializer, responses={202: OperationJobSerializer})
    def post(self, request: Request, slug: str, key: str) -> Response:
        incoming = RestoreRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        asked = incoming.validated_data
        if dump_of(slug, key) is None:
            raise Http404
        if asked["replace"] and asked["confirm"] != slug:
            raise ValidationError({"confirm": [ReplaceForm.mismatch]})
        job = start_restore(
            source=slug,
            key=key,
            slug=asked["slug"] or None,
            domains=asked["domains"],
            replace=asked["replace"],
            requested_by=request.user,
        )
        return Response(OperationJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class OperationJobView(OperatorAPIView):
    """A backup's or restore's state and progress."""

    serializer_class = OperationJobSerializer

    def get(self, request: Request, job_id: str) -> Response:
        job = get_object_or_404(OperationJob, pk=job_id)
        return Response(OperationJobSerializer(job).data)
