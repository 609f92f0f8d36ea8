"""The mediations API under /api/v1/: mediations, follow-ups, placements and match
suggestions. Staff (brokers and admins) only."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.audit import actions
from tenants.market.models import Ad, AdKind, AdStatus
from tenants.organisations.models import Organisation
from tijdvoorelkaar.accounts.access import StaffViewSet, object_or_404

from . import selectors, services
from .models import FollowUp, Mediation, MediationStatus, Placement


class SideSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class OrganisationRefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField()


class AdRefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()


class FollowUpSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = FollowUp
        fields = ["id", "mediation", "kind", "due_on", "done_at", "note"]


class MediationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    requester = SideSerializer()
    provider = SideSerializer(allow_null=True)
    organisation = OrganisationRefSerializer(allow_null=True)
    ads = AdRefSerializer(many=True)
    via_site = serializers.SerializerMethodField()

    class Meta:
        model = Mediation
        fields = [
            "id",
            "requester",
            "provider",
            "organisation",
            "ads",
            "active",
            "via_site",
            "status",
            "started_on",
            "ended_on",
            "reason",
        ]

    def get_via_site(self, obj: Mediation) -> bool:
        return not obj.active


class MediationDetailSerializer(MediationSerializer):
    follow_ups = FollowUpSerializer(many=True)

    class Meta(MediationSerializer.Meta):
        fields = [*MediationSerializer.Meta.fields, "follow_ups"]


class NewMediationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    requester = serializers.PrimaryKeyRelatedField(queryset=selectors.active_participants())
    provider = serializers.PrimaryKeyRelatedField(
        queryset=selectors.active_participants(), required=False, allow_null=True
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    ads = serializers.PrimaryKeyRelatedField(
        queryset=Ad.objects.all(), many=True, required=False, default=list
    )
    started_on = serializers.DateField(required=False, allow_null=True)


class StatusChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=MediationStatus.choices)
    ended_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class FollowUpDoneSerializer(serializers.Serializer):  # type: ignore[type-arg]
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MediationFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=MediationStatus.choices, required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    started_from = serializers.DateField(required=False)
    started_to = serializers.DateField(required=False)
    participant = serializers.IntegerField(required=False, min_value=1)


class SuggestionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ad = AdRefSerializer()
    participant = SideSerializer()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    common_words = serializers.ListField(child=serializers.CharField())


class PlacementSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    participant = SideSerializer()
    organisation = OrganisationRefSerializer()
    vacancy = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Placement
        fields = ["id", "participant", "organisation", "vacancy", "started_on", "ended_on"]


class NewPlacementSerializer(serializers.Serializer):  # type: ignore[type-arg]
    participant = serializers.PrimaryKeyRelatedField(queryset=selectors.active_participants())
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    vacancy = serializers.PrimaryKeyRelatedField(
        queryset=Ad.objects.filter(kind=AdKind.VACANCY), required=False, allow_null=True
    )
    started_on = serializers.DateField(required=False, allow_null=True)


class EndPlacementSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ended_on = serializers.DateField(required=False, allow_null=True)


class MediationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet):
    """Mediations (filter by status, active, started_from/started_to, participant), recording
    an active one, status changes, marking one found via the site as supported. Reading one
    (its follow-up notes and reason) is recorded, as on the page."""

    personal_data = {
        "list": actions.MEDIATION_LIST_VIEWED,
        "retrieve": actions.MEDIATION_VIEWED,
    }

    def get_serializer_class(self) -> Any:
        return MediationDetailSerializer if self.action == "retrieve" else MediationSerializer

    def get_queryset(self) -> Any:
        if self.action == "list":
            filters = MediationFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return selectors.mediations_for_list(**filters.validated_data)
        return selectors.mediation_detail()

    @extend_schema(parameters=[MediationFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=NewMediationSerializer, responses={201: MediationDetailSerializer})
    def create(self, request: Request) -> Response:
        incoming = NewMediationSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        mediation = services.start_mediation(
            active=True, created_by=request.user, **incoming.validated_data
        )
        mediation = selectors.mediation_detail().get(pk=mediation.pk)
        return Response(MediationDetailSerializer(mediation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StatusChangeSerializer, responses=MediationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request: Request, pk: str) -> Response:
        """End a mediation (match, no_match, cancelled, with ended_on and reason) or reopen it."""
        mediation = self.get_object()
        incoming = StatusChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.set_mediation_status(
            mediation=mediation, by=request.user, **incoming.validated_data
        )
        return Response(MediationDetailSerializer(self.get_object()).data)

    @extend_schema(request=None, responses=MediationDetailSerializer)
    @action(detail=True, methods=["post"])
    def support(self, request: Request, pk: str) -> Response:
        """Mark a mediation found via the site as supported by the broker (active)."""
        services.mark_mediation_supported(mediation=self.get_object(), by=request.user)
        return Response(MediationDetailSerializer(self.get_object()).data)

    @extend_schema(
        parameters=[OpenApiParameter("ad", int, required=True, description="a request or offer")],
        responses=SuggestionSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def suggestions(self, request: Request) -> Response:
        """Published offers (for a request; requests for an offer) that fit best, with why."""
        ad_id = request.query_params.get("ad", "")
        if not ad_id.isdecimal():
            raise serializers.ValidationError({"ad": [_("Give the number of a request or offer.")]})
        ad = object_or_404(
            Ad.objects.filter(
                kind__in=[AdKind.REQUEST, AdKind.OFFER], participant__erased_at=None
            ).exclude(status=AdStatus.REJECTED),
            ad_id,
        )
        found = selectors.match_suggestions(ad=ad)
        return Response(SuggestionSerializer(found, many=True).data)


class FollowUpViewSet(mixins.ListModelMixin, StaffViewSet):
    """The broker's follow-ups due on or before `due_by` (default today); tick one off."""

    serializer_class = FollowUpSerializer
    personal_data = {"list": actions.FOLLOW_UP_LIST_VIEWED}

    def get_queryset(self) -> Any:
        if self.action == "list":
            due_by = self.request.query_params.get("due_by")
            if due_by:
                try:
                    day = serializers.DateField().run_validation(due_by)
                except serializers.ValidationError as error:
                    raise serializers.ValidationError({"due_by": error.detail}) from error
            return selectors.due_follow_ups(day if due_by else timezone.localdate())
        return selectors.open_follow_ups()

    @extend_schema(parameters=[OpenApiParameter("due_by", str, description="YYYY-MM-DD")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=FollowUpDoneSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str) -> Response:
        """Tick off an open follow-up, with an optional short note."""
        incoming = FollowUpDoneSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        follow_up = services.complete_follow_up(
            follow_up=self.get_object(), by=request.user, **incoming.validated_data
        )
        return Response(FollowUpSerializer(follow_up).data)


class PlacementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet):
    """Volunteer placements: list (`current=1` for those not ended), record, end."""

    serializer_class = PlacementSerializer

    def get_queryset(self) -> Any:
        current = self.request.query_params.get("current") == "1"
        return selectors.placements_for_list(current_only=current and self.action == "list")

    @extend_schema(request=NewPlacementSerializer, responses={201: PlacementSerializer})
    def create(self, request: Request) -> Response:
        incoming = NewPlacementSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        placement = services.record_placement(by=request.user, **incoming.validated_data)
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndPlacementSerializer, responses=PlacementSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        """End a placement on ended_on (default today)."""
        incoming = EndPlacementSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        placement = services.end_placement(
            placement=self.get_object(), by=request.user, **incoming.validated_data
        )
        return Response(PlacementSerializer(placement).data)
