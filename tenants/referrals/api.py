"""Endpoints for referrals and group visits, for brokers and admins. Reading a referral
(list or one) is audited like the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.audit import actions
from tenants.organisations.models import Organisation
from tijdvoorelkaar.accounts.access import StaffViewSet

from . import selectors
from .models import Direction, GroupVisit, Referral
from .services import (
    COMMON_FIELDS,
    IN_FIELDS,
    OUT_FIELDS,
    record_group_visit,
    record_referral,
    update_group_visit,
    update_referral,
)


class ReferralSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    participant = serializers.PrimaryKeyRelatedField(queryset=selectors.participant_choices())

    class Meta:
        model = Referral
        fields = ["id", "direction", *COMMON_FIELDS, *IN_FIELDS, *OUT_FIELDS, "created_at"]
        read_only_fields = ["id", "created_at"]


class ReferralChangeSerializer(ReferralSerializer):
    class Meta(ReferralSerializer.Meta):
        read_only_fields = ["id", "direction", "created_at"]


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet):
    """Referrals in (institution, referrer) and on (service). Keep `reason` short: it may
    be health-related. Every read and change is written to the audit log."""

    serializer_class = ReferralSerializer
    personal_data = {
        "list": actions.REFERRAL_LIST_VIEWED,
        "retrieve": actions.REFERRAL_VIEWED,
    }

    def get_queryset(self) -> Any:
        direction = self.request.query_params.get("direction", "")
        return selectors.referrals_for_list(
            direction=direction if direction in Direction.values else ""
        )

    @extend_schema(
        parameters=[OpenApiParameter("direction", OpenApiTypes.STR, enum=Direction.values)]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ReferralSerializer, responses={201: ReferralSerializer})
    def create(self, request: Request) -> Response:
        incoming = ReferralSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        referral = record_referral(by=request.user, **incoming.validated_data)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralChangeSerializer, responses=ReferralSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        referral = self.get_object()
        incoming = ReferralChangeSerializer(referral, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        referral = update_referral(
            referral=referral, changes=dict(incoming.validated_data), by=request.user
        )
        return Response(ReferralSerializer(referral).data)


class GroupVisitSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), allow_null=True, required=False
    )
    joined = serializers.PrimaryKeyRelatedField(
        queryset=selectors.participant_choices(), many=True, required=False
    )

    class Meta:
        model = GroupVisit
        fields = ["id", "visited_on", "organisation", "group_name", "reached", "joined", "note"]
        read_only_fields = ["id"]


class GroupVisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet):
    """Group visits: whom the broker presented to, people reached and who joined."""

    serializer_class = GroupVisitSerializer

    def get_queryset(self) -> Any:
        return selectors.all_group_visits().order_by("-visited_on", "-id")

    @extend_schema(request=GroupVisitSerializer, responses={201: GroupVisitSerializer})
    def create(self, request: Request) -> Response:
        incoming = GroupVisitSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        visit = record_group_visit(by=request.user, **incoming.validated_data)
        return Response(self._fresh(visit.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=GroupVisitSerializer, responses=GroupVisitSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        visit = self.get_object()
        incoming = GroupVisitSerializer(visit, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        values = {
            "visited_on": visit.visited_on,
            "reached": visit.reached,
            "organisation": visit.organisation,
            "group_name": visit.group_name,
            "joined": list(visit.joined.all()),
            "note": visit.note,
            **incoming.validated_data,
        }
        update_group_visit(visit=visit, by=request.user, **values)
        return Response(self._fresh(visit.pk))

    def _fresh(self, pk: int) -> dict[str, Any]:
        return GroupVisitSerializer(self.get_queryset().get(pk=pk)).data
