"""Ads the broker places and keeps for a participant."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.market.api.serializers import AdFieldsSerializer
from tenants.market.models import Ad, AdStatus
from tenants.market.services.ads import close_ad, place_ad, renew_ad, update_ad
from tijdvoorelkaar.accounts.access import StaffViewSet

from .. import selectors
from ..forms import BROKER_AD_KINDS
from .moderation import ModerationAdSerializer


class BrokerAdSerializer(AdFieldsSerializer):
    """An ad the broker places for a participant: what it says, for whom, which kind."""

    participant = serializers.PrimaryKeyRelatedField(queryset=selectors.participants())
    kind = serializers.ChoiceField(choices=BROKER_AD_KINDS)


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

    @extend_schema(request=AdFieldsSerializer, responses=ModerationAdSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        ad = self.get_object()
        incoming = AdFieldsSerializer(data=request.data, partial=True)
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
