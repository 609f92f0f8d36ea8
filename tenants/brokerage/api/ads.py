"""Ads the broker places and keeps for a participant."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.market.models import Ad, AdStatus, Category
from tenants.market.services.ads import (
    close_ad,
    place_ad,
    renew_ad,
    update_ad,
)
from tenants.people.models import SubArea
from tijdvoorelkaar.accounts.access import StaffViewSet

from .. import selectors
from ..forms import BROKER_AD_KINDS
from .moderation import ModerationAdSerializer


class BrokerAdSerializer(serializers.Serializer):  # type: ignore[type-arg]
    participant = serializers.PrimaryKeyRelatedField(queryset=selectors.participants())
    kind = serializers.ChoiceField(choices=BROKER_AD_KINDS)
    title = serializers.CharField(max_length=100)
    body = serializers.CharField(max_length=2000)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    sub_area = serializers.PrimaryKeyRelatedField(
        queryset=SubArea.objects.all(), required=False, allow_null=True
    )
    when = serializers.CharField(max_length=120, required=False, allow_blank=True)


class BrokerAdChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=100, required=False)
    body = serializers.CharField(max_length=2000, required=False)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), required=False
    )
    sub_area = serializers.PrimaryKeyRelatedField(
        queryset=SubArea.objects.all(), required=False, allow_null=True
    )
    when = serializers.CharField(max_length=120, required=False, allow_blank=True)


class BrokerAdViewSet(mixins.RetrieveModelMixin, StaffViewSet):
    """Ads the broker places, edits, renews and closes for a participant. A broker's ad is
    published at once and marked as placed by the broker."""

    serializer_class = ModerationAdSerializer

    def get_queryset(self) -> Any:
        return Ad.objects.filter(participant__erased_at__isnull=True).exclude(
            status=AdStatus.REJECTED
        )

    @extend_schema(request=BrokerAdSerializer, responses={201: ModerationAdSerializer})
    def create(self, request: Request) -> Response:
        incoming = BrokerAdSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        ad = place_ad(placed_by_broker=request.user, **incoming.validated_data)
        return Response(ModerationAdSerializer(ad).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BrokerAdChangeSerializer, responses=ModerationAdSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        ad = self.get_object()
        incoming = BrokerAdChangeSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        ad = update_ad(ad=ad, by=request.user, **incoming.validated_data)
        return Response(ModerationAdSerializer(ad).data)

    @extend_schema(request=None, responses=ModerationAdSerializer)
    @action(detail=True, methods=["post"])
    def renew(self, request: Request, pk: str) -> Response:
        ad = renew_ad(ad=self.get_object(), by=request.user)
        return Response(ModerationAdSerializer(ad).data)

    @extend_schema(request=None, responses=ModerationAdSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        ad = close_ad(ad=self.get_object(), by=request.user)
        return Response(ModerationAdSerializer(ad).data)
