"""The broker's workspace as an API (brokers and admins; routing changes for admins only)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.audit import actions
from tenants.market.models import Ad, AdStatus, Category, Report
from tenants.market.services.ads import (
    approve_ad,
    close_ad,
    handle_report,
    place_ad,
    reject_ad,
    renew_ad,
    update_ad,
)
from tenants.people.models import SubArea
from tijdvoorelkaar.accounts.access import StaffAPIView, StaffViewSet
from tijdvoorelkaar.accounts.models import Role

from . import selectors, services
from .forms import BROKER_AD_KINDS
from .models import Channel, RoutingStep, SupportConversation


def _require_admin(request: Request) -> None:
    if request.user.role != Role.ADMIN:
        raise PermissionDenied("Only the neighbourhood admin changes the routing.")


# --- Routing steps ---------------------------------------------------------------------------


class RoutingStepSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = RoutingStep
        fields = ["id", "name", "position", "is_active"]
        read_only_fields = ["id", "position", "is_active"]


class StepMoveSerializer(serializers.Serializer):  # type: ignore[type-arg]
    direction = serializers.ChoiceField(choices=["up", "down"])


class RoutingStepViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet):
    """The routing steps (retired ones last). Staff read; the admin adds, renames, reorders,
    retires and restores."""

    serializer_class = RoutingStepSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return selectors.all_routing_steps()

    @extend_schema(request=RoutingStepSerializer, responses={201: RoutingStepSerializer})
    def create(self, request: Request) -> Response:
        _require_admin(request)
        incoming = RoutingStepSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        step = services.add_routing_step(name=incoming.validated_data["name"], by=request.user)
        return Response(RoutingStepSerializer(step).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RoutingStepSerializer, responses=RoutingStepSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        _require_admin(request)
        step = self.get_object()
        incoming = RoutingStepSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        step = services.rename_routing_step(
            step=step, name=incoming.validated_data["name"], by=request.user
        )
        return Response(RoutingStepSerializer(step).data)

    @extend_schema(request=StepMoveSerializer, responses=RoutingStepSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        _require_admin(request)
        incoming = StepMoveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        step = services.move_routing_step(
            step=self.get_object(), direction=incoming.validated_data["direction"], by=request.user
        )
        return Response(RoutingStepSerializer(step).data)

    @extend_schema(request=None, responses=RoutingStepSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str) -> Response:
        _require_admin(request)
        step = services.retire_routing_step(step=self.get_object(), by=request.user)
        return Response(RoutingStepSerializer(step).data)

    @extend_schema(request=None, responses=RoutingStepSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str) -> Response:
        _require_admin(request)
        step = services.restore_routing_step(step=self.get_object(), by=request.user)
        return Response(RoutingStepSerializer(step).data)


# --- Trajectories ----------------------------------------------------------------------------


class TrajectorySerializer(serializers.Serializer):  # type: ignore[type-arg]
    participant = serializers.IntegerField(source="participant.pk")
    display_name = serializers.CharField(source="participant.display_name")
    sub_area = serializers.IntegerField(source="participant.sub_area_id", allow_null=True)
    step = serializers.IntegerField(source="step.pk")
    step_name = serializers.CharField(source="step.name")
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
            sub_area = get_object_or_404(SubArea, pk=int(request.query_params["sub_area"]))
        step = None
        if request.query_params.get("step", "").isdecimal():
            step = get_object_or_404(RoutingStep, pk=int(request.query_params["step"]))
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


# --- Support conversations -------------------------------------------------------------------


class ConversationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = SupportConversation
        fields = ["id", "participant", "held_on", "channel", "summary", "by", "created_at"]
        read_only_fields = ["id", "by", "created_at"]
        extra_kwargs = {
            "participant": {"queryset": selectors.participants()},
            "held_on": {"required": False},
            "channel": {"choices": Channel.choices},
        }


def _participant_filter(request: Request) -> int | None:
    participant = request.query_params.get("participant", "")
    return int(participant) if participant.isdecimal() else None


class ConversationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, StaffViewSet):
    """Support conversations (filter by `participant`). Reading summaries is audited."""

    serializer_class = ConversationSerializer
    personal_data = {"list": actions.SUPPORT_CONVERSATION_VIEWED}

    def get_queryset(self) -> Any:
        conversations = SupportConversation.objects.filter(
            participant__erased_at__isnull=True
        ).order_by("-held_on", "-id")
        participant = _participant_filter(self.request)
        if participant is not None:
            conversations = conversations.filter(participant_id=participant)
        return conversations

    @extend_schema(parameters=[OpenApiParameter("participant", int, required=False)])
    def list(self, request: Request) -> Response:
        return super().list(request)

    def create(self, request: Request) -> Response:
        incoming = ConversationSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        conversation = services.log_support_conversation(by=request.user, **incoming.validated_data)
        data = ConversationSerializer(conversation).data
        count = conversation.participant.support_conversations.count()
        limit = selectors.support_limit()
        data["count"] = count
        data["over_limit"] = count > limit
        return Response(data, status=status.HTTP_201_CREATED)


# --- Dashboard -------------------------------------------------------------------------------


class DashboardSerializer(serializers.Serializer):  # type: ignore[type-arg]
    follow_ups_this_week = serializers.IntegerField(
        help_text="Overdue and due in the coming 7 days."
    )
    responses_held = serializers.IntegerField()
    reports_open = serializers.IntegerField()
    ads_awaiting_approval = serializers.IntegerField()
    messages_held = serializers.IntegerField()
    stale_trajectories = serializers.IntegerField()
    new_participants_this_month = serializers.IntegerField()
    ads_placed_this_month = serializers.IntegerField()
    mediations_started_this_month = serializers.IntegerField()
    matches_this_month = serializers.IntegerField()


class DashboardView(StaffAPIView):
    """The day's counts: what waits for the broker, and this month's figures."""

    serializer_class = DashboardSerializer

    def get(self, request: Request) -> Response:
        day = selectors.dashboard()
        return Response(
            DashboardSerializer(
                {
                    "follow_ups_this_week": day.follow_ups.total,
                    "responses_held": day.responses.total,
                    "reports_open": day.reports.total,
                    "ads_awaiting_approval": day.awaiting.total,
                    "messages_held": day.messages.total,
                    "stale_trajectories": day.stale.total,
                    "new_participants_this_month": day.figures.new_participants,
                    "ads_placed_this_month": day.figures.ads_placed,
                    "mediations_started_this_month": day.figures.mediations_started,
                    "matches_this_month": day.figures.matches,
                }
            ).data
        )


# --- Moderation ------------------------------------------------------------------------------


class ModerationAdSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    placed_by_broker = serializers.SerializerMethodField()

    class Meta:
        model = Ad
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "category",
            "sub_area",
            "when",
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
        ad = approve_ad(ad=get_object_or_404(Ad, pk=pk), by=request.user)
        return Response(ModerationAdSerializer(ad).data)

    @extend_schema(request=RejectSerializer, responses=ModerationAdSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        incoming = RejectSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        ad = reject_ad(
            ad=get_object_or_404(Ad, pk=pk),
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
        report = get_object_or_404(
            Report.objects.select_related("ad"), pk=pk, handled_at__isnull=True
        )
        incoming = HandleReportSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        report = handle_report(
            report=report, outcome=incoming.validated_data["outcome"], by=request.user
        )
        return Response(ReportSerializer(report).data)


# --- Ads on someone's behalf -----------------------------------------------------------------


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
