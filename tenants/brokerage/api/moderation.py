"""Moderation: ads waiting for approval and open reports."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.market.api.serializers import AD_FIELDS
from tenants.market.models import Ad, Report
from tenants.market.services.moderation import approve_ad, handle_report, reject_ad
from tijdvoorelkaar.accounts.access import StaffViewSet, object_or_404

from .. import selectors


class ModerationAdSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    placed_by_broker = serializers.SerializerMethodField()

    class Meta:
        model = Ad
        fields = [
            *AD_FIELDS,
            "participant",
            "status",
            "placed_by_broker",
            "created_at",
            "published_at",
            "expires_at",
        ]
        read_only_fields = fields

    def get_placed_by_broker(self, obj: Ad) -> bool:
        return obj.placed_by_broker_id is not None


class RejectSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ModerationAdViewSet(mixins.ListModelMixin, StaffViewSet):
    """Ads waiting for the broker's approval: approve or reject (with an optional reason)."""

    serializer_class = ModerationAdSerializer

    def get_queryset(self) -> Any:
        return selectors.ads_awaiting_approval()

    @extend_schema(request=None, responses=ModerationAdSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        ad = approve_ad(ad=object_or_404(Ad.objects.all(), pk), by=request.user)
        return Response(ModerationAdSerializer(ad).data)

    @extend_schema(request=RejectSerializer, responses=ModerationAdSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        incoming = RejectSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        ad = reject_ad(
            ad=object_or_404(Ad.objects.all(), pk),
            by=request.user,
            reason=incoming.validated_data.get("reason", ""),
        )
        return Response(ModerationAdSerializer(ad).data)


class ReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Report
        fields = ["id", "ad", "reason", "explanation", "created_at", "handled_at", "outcome"]
        read_only_fields = fields


class HandleReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    outcome = serializers.ChoiceField(choices=Report.Outcome.choices)


class ReportViewSet(mixins.ListModelMixin, StaffViewSet):
    """Open reports of ads: keep the ad or remove it."""

    serializer_class = ReportSerializer

    def get_queryset(self) -> Any:
        return selectors.open_reports()

    @extend_schema(request=HandleReportSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def handle(self, request: Request, pk: str) -> Response:
        report = object_or_404(Report.objects.select_related("ad"), pk, handled_at__isnull=True)
        incoming = HandleReportSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        report = handle_report(
            report=report, outcome=incoming.validated_data["outcome"], by=request.user
        )
        return Response(ReportSerializer(report).data)
