"""Routing steps (the admin edits them) and the running trajectories along them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.people.models import SubArea
from tijdvoorelkaar.accounts.access import StaffViewSet, object_or_404

from .. import selectors, services
from ..models import RoutingStep


class RoutingStepSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = RoutingStep
        fields = ["id", "name", "name_en", "display_name", "position", "is_active"]
        read_only_fields = ["id", "display_name", "position", "is_active"]


class StepMoveSerializer(serializers.Serializer):  # type: ignore[type-arg]
    direction = serializers.ChoiceField(choices=["up", "down"])


class RoutingStepViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet):
    """The routing steps (retired ones last). Staff read; the admin adds, renames, reorders,
    retires and restores."""

    serializer_class = RoutingStepSerializer
    pagination_class = None
    admin_actions = frozenset({"create", "partial_update", "move", "retire", "restore"})

    def get_queryset(self) -> Any:
        return selectors.all_routing_steps()

    @extend_schema(request=RoutingStepSerializer, responses={201: RoutingStepSerializer})
    def create(self, request: Request) -> Response:
        incoming = RoutingStepSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        step = services.add_routing_step(
            name=incoming.validated_data["name"],
            name_en=incoming.validated_data.get("name_en", ""),
            by=request.user,
        )
        return Response(RoutingStepSerializer(step).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RoutingStepSerializer, responses=RoutingStepSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        step = self.get_object()
        incoming = RoutingStepSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        step = services.rename_routing_step(
            step=step,
            name=incoming.validated_data["name"],
            name_en=incoming.validated_data.get("name_en", ""),
            by=request.user,
        )
        return Response(RoutingStepSerializer(step).data)

    @extend_schema(request=StepMoveSerializer, responses=RoutingStepSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        incoming = StepMoveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        step = services.move_routing_step(
            step=self.get_object(), direction=incoming.validated_data["direction"], by=request.user
        )
        return Response(RoutingStepSerializer(step).data)

    @extend_schema(request=None, responses=RoutingStepSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str) -> Response:
        step = services.retire_routing_step(step=self.get_object(), by=request.user)
        return Response(RoutingStepSerializer(step).data)

    @extend_schema(request=None, responses=RoutingStepSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str) -> Response:
        step = services.restore_routing_step(step=self.get_object(), by=request.user)
        return Response(RoutingStepSerializer(step).data)


class TrajectorySerializer(serializers.Serializer):  # type: ignore[type-arg]
    participant = serializers.IntegerField(source="participant.pk")
    display_name = serializers.CharField(source="participant.display_name")
    sub_area = serializers.IntegerField(source="participant.sub_area_id", allow_null=True)
    step = serializers.IntegerField(source="step.pk")
    step_name = serializers.CharField(source="step.display_name")
    since = serializers.DateTimeField()
    days_at_step = serializers.IntegerField(source="days")
    support_conversations = serializers.IntegerField(source="conversations")
    at_support_limit = serializers.BooleanField(source="at_limit")


class MoveSerializer(serializers.Serializer):  # type: ignore[type-arg]
    step = serializers.PrimaryKeyRelatedField(queryset=RoutingStep.objects.filter(is_active=True))


class MovedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    participant = serializers.IntegerField(source="participant_id")
    step = serializers.IntegerField(source="step_id")
    moved_at = serializers.DateTimeField()


class TrajectoryViewSet(StaffViewSet):
    """Running trajectories (participants not at the last step), keyed by participant id;
    filter by `step` and `sub_area`. Moving someone is recorded and audited."""

    serializer_class = TrajectorySerializer

    def get_queryset(self) -> Any:
        return selectors.participants()  # the path's id is the participant's

    @extend_schema(
        parameters=[
            OpenApiParameter("step", int, required=False),
            OpenApiParameter("sub_area", int, required=False),
        ]
    )
    def list(self, request: Request) -> Response:
        sub_area = None
        if request.query_params.get("sub_area", "").isdecimal():
            sub_area = object_or_404(SubArea.objects.all(), request.query_params["sub_area"])
        step = None
        if request.query_params.get("step", "").isdecimal():
            step = object_or_404(RoutingStep.objects.all(), request.query_params["step"])
        steps, rows = selectors.running(sub_area=sub_area, step=step)
        page = selectors.cards(self.paginate_queryset(rows), steps)
        return self.get_paginated_response(TrajectorySerializer(page, many=True).data)

    @extend_schema(request=MoveSerializer, responses=MovedSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        participant = self.get_object()
        incoming = MoveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        trajectory = services.move_trajectory(
            participant=participant, to_step=incoming.validated_data["step"], by=request.user
        )
        return Response(MovedSerializer(trajectory).data)
