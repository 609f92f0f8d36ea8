"""The broker's day in counts."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from tijdvoorelkaar.accounts.access import StaffAPIView

from .. import selectors


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
