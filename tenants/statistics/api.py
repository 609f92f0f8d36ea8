"""The report's figures for staff: the computed periods, one period's figures (suppressed
cells are null, as everywhere), and asking for a period to be computed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tijdvoorelkaar.accounts.access import StaffViewSet

from . import selectors
from .models import Snapshot
from .periods import PeriodKind
from .services import period_of, request_snapshot


class SnapshotSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    period = serializers.ChoiceField(source="kind", choices=PeriodKind.choices, read_only=True)
    label = serializers.SerializerMethodField()

    class Meta:
        model = Snapshot
        fields = ["id", "period", "start", "end", "label", "computed_at", "state", "progress"]
        read_only_fields = fields

    def get_label(self, snapshot: Snapshot) -> str:
        return snapshot.period.label


class SnapshotFiguresSerializer(SnapshotSerializer):
    figures = serializers.DictField(
        read_only=True,
        help_text="Each figure by its key (docs/features/statistics.md defines them); null "
        "where fewer than 5 answered or not available; lists for the routing steps, "
        "referrals in by referrer, credits by organisation and visits per day.",
    )

    class Meta(SnapshotSerializer.Meta):
        fields = [*SnapshotSerializer.Meta.fields, "figures"]
        read_only_fields = fields


class ComputeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    period = serializers.ChoiceField(choices=PeriodKind.choices)
    year = serializers.CharField(required=False, allow_blank=True, max_length=4)
    start = serializers.CharField(required=False, allow_blank=True, max_length=10)
    end = serializers.CharField(required=False, allow_blank=True, max_length=10)


class StatisticsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet):
    """The report: the periods computed so far (`list`), one period's figures (`retrieve`),
    and `compute` to (re)compute a period in the background."""

    queryset = Snapshot.objects.none()

    def get_queryset(self) -> Any:
        return selectors.computed_snapshots()

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return SnapshotFiguresSerializer
        if self.action == "compute":
            return ComputeSerializer
        return SnapshotSerializer

    @extend_schema(request=ComputeSerializer, responses={202: SnapshotSerializer})
    @action(detail=False, methods=["post"])
    def compute(self, request: Request) -> Response:
        given = ComputeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            period = period_of(given.validated_data)
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        snapshot = request_snapshot(period=period, by=request.user)
        return Response(SnapshotSerializer(snapshot).data, status=status.HTTP_202_ACCEPTED)
