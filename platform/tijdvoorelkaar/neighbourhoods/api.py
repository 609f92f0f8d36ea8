"""The operator's REST endpoints for neighbourhoods (platform domain only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from tijdvoorelkaar.accounts.access import OperatorViewSet
from tijdvoorelkaar.sites import site_url
from tijdvoorelkaar.theming.registry import theme_choices

from .bulk import MAX_BATCH
from .jobs import job_progress, start_bulk_provisioning, start_provisioning
from .models import Language, Moderation, Neighbourhood, ProvisioningJob
from .selectors import neighbourhoods
from .services import (
    SETTINGS_FIELDS,
    BackupFailed,
    NeighbourhoodSpec,
    archive_neighbourhood,
    delete_neighbourhood,
    reopen_neighbourhood,
    update_settings,
)


class NeighbourhoodSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    domains = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Neighbourhood
        fields = [
            "slug",
            "schema_name",
            "status",
            "created_at",
            "archived_at",
            "domains",
            "url",
            *SETTINGS_FIELDS,
        ]
        read_only_fields = fields

    def get_domains(self, obj: Neighbourhood) -> list[str]:
        return [d.domain for d in obj.domains.all()]

    def get_url(self, obj: Neighbourhood) -> str:
        return site_url(obj)


class NeighbourhoodCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=80)
    slug = serializers.CharField(max_length=40)
    domains = serializers.ListField(child=serializers.CharField(max_length=253), min_length=1)
    admin_email = serializers.EmailField()
    admin_name = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    theme = serializers.ChoiceField(choices=theme_choices(), default="default")
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), default=["nl", "en"]
    )
    credits_enabled = serializers.BooleanField(default=False)
    credit_name = serializers.CharField(max_length=30, default="Roosjes")
    reporting_year_start_month = serializers.IntegerField(min_value=1, max_value=12, default=7)
    moderation = serializers.ChoiceField(choices=Moderation.choices, default=Moderation.AFTER)
    ad_lifetime_weeks = serializers.IntegerField(min_value=1, max_value=52, default=8)
    support_conversation_limit = serializers.IntegerField(min_value=1, max_value=20, default=3)
    follow_up_weeks = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=52),
        max_length=5,
        default=[2, 6],
    )
    broker_phone = serializers.CharField(
        max_length=30, required=False, default="", allow_blank=True
    )
    broker_office_hours = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    broker_address = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )


class BulkCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    neighbourhoods = NeighbourhoodCreateSerializer(many=True, min_length=1, max_length=MAX_BATCH)


class SettingsSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Neighbourhood
        fields = list(SETTINGS_FIELDS)
        extra_kwargs = {name: {"required": False} for name in SETTINGS_FIELDS}


class ProvisioningJobSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    neighbourhood = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    live = serializers.SerializerMethodField()

    class Meta:
        model = ProvisioningJob
        fields = [
            "id",
            "status",
            "progress",
            "step",
            "error",
            "neighbourhood",
            "created_at",
            "finished_at",
            "live",
        ]
        read_only_fields = fields

    def get_live(self, obj: ProvisioningJob) -> dict[str, Any]:
        return job_progress(obj)


class NeighbourhoodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OperatorViewSet):
    """Neighbourhoods: list, inspect, create (as a background job), change settings,
    archive, reopen and delete (after a pg_dump of the schema)."""

    serializer_class = NeighbourhoodSerializer
    lookup_field = "slug"
    # The characters of Django's <slug:> (the console's and backups' routes): anything else,
    # a NUL byte above all, is a 404 here rather than a database error.
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self) -> Any:
        return neighbourhoods()

    @extend_schema(
        request=NeighbourhoodCreateSerializer, responses={202: ProvisioningJobSerializer}
    )
    def create(self, request: Request) -> Response:
        incoming = NeighbourhoodCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        job = start_provisioning(
            spec=NeighbourhoodSpec(**incoming.validated_data), requested_by=request.user
        )
        job.refresh_from_db()
        return Response(ProvisioningJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=BulkCreateSerializer, responses={202: ProvisioningJobSerializer(many=True)}
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        """Create up to 100 neighbourhoods in one background task: the spare schemas they need
        are built first, then each is provisioned from one. One job per neighbourhood."""
        incoming = BulkCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        jobs = start_bulk_provisioning(
            specs=[NeighbourhoodSpec(**item) for item in incoming.validated_data["neighbourhoods"]],
            requested_by=request.user,
        )
        return Response(
            ProvisioningJobSerializer(jobs, many=True).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(request=SettingsSerializer, responses=NeighbourhoodSerializer)
    def partial_update(self, request: Request, slug: str) -> Response:
        incoming = SettingsSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        updated = update_settings(
            neighbourhood=self.get_object(),
            changes=incoming.validated_data,
            changed_by=request.user,
        )
        return Response(NeighbourhoodSerializer(updated).data)

    @extend_schema(request=None, responses=NeighbourhoodSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, slug: str) -> Response:
        item = archive_neighbourhood(neighbourhood=self.get_object(), archived_by=request.user)
        return Response(NeighbourhoodSerializer(item).data)

    @extend_schema(request=None, responses=NeighbourhoodSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, slug: str) -> Response:
        item = reopen_neighbourhood(neighbourhood=self.get_object(), reopened_by=request.user)
        return Response(NeighbourhoodSerializer(item).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "confirm", str, required=True, description="The slug again, to confirm."
            )
        ],
        responses={
            200: inline_serializer(
                "NeighbourhoodDeleted",
                {"deleted": serializers.CharField(), "backup": serializers.CharField()},
            ),
            503: inline_serializer("BackupFailed", {"detail": serializers.CharField()}),
        },
    )
    def destroy(self, request: Request, slug: str) -> Response:
        try:
            backup = delete_neighbourhood(
                neighbourhood=self.get_object(),
                confirm_slug=request.query_params.get("confirm", ""),
            )
        except ValidationError as error:  # name the query parameter the caller used
            raise ValidationError({"confirm": error.messages}) from error
        except BackupFailed as error:
            return Response({"detail": str(error)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response({"deleted": slug, "backup": backup.name})


class ProvisioningJobViewSet(mixins.RetrieveModelMixin, OperatorViewSet):
    serializer_class = ProvisioningJobSerializer
    queryset = ProvisioningJob.objects.select_related("neighbourhood")

    def get_object(self) -> ProvisioningJob:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
