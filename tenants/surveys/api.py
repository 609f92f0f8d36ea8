"""The survey's endpoints, staff only: open invitations and entering a paper form for one, the
figures for a period, and the remarks (every read audited)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.audit import actions
from tijdvoorelkaar.accounts.access import StaffAPIView, StaffViewSet

from . import selectors
from .models import Neighbours, SurveyAnswer, SurveyInvitation
from .services.answers import Answers, enter_paper_answers

MAX_DAYS = 20 * 366  # the longest period the figures are asked for


class InvitationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = SurveyInvitation
        fields = ["id", "participant", "occasion", "sent_on"]
        read_only_fields = fields


class PaperAnswersSerializer(serializers.Serializer):  # type: ignore[type-arg]
    answered_on = serializers.DateField()
    satisfied_exchange = serializers.BooleanField(required=False, allow_null=True, default=None)
    satisfied_broker = serializers.BooleanField(required=False, allow_null=True, default=None)
    neighbours = serializers.ChoiceField(
        choices=Neighbours.values,
        required=False,
        allow_null=True,
        default=None,
        help_text="0: none, 1: one, 2: two or more.",
    )
    lasting_contact = serializers.BooleanField(required=False, allow_null=True, default=None)
    remark = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AnswerSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = SurveyAnswer
        fields = [
            "id",
            "answered_on",
            "occasion",
            "channel",
            "satisfied_exchange",
            "satisfied_broker",
            "neighbours",
            "lasting_contact",
            "remark",
        ]
        read_only_fields = fields


class InvitationViewSet(mixins.ListModelMixin, StaffViewSet):
    """People asked who have not answered yet; a broker enters their paper form."""

    serializer_class = InvitationSerializer

    def get_queryset(self) -> Any:
        return selectors.open_invitations()

    @extend_schema(request=PaperAnswersSerializer, responses={201: None})
    @action(detail=True, methods=["post"], url_path="paper-answers")
    def paper_answers(self, request: Request, pk: str) -> Response:
        invitation = self.get_object()
        incoming = PaperAnswersSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        answered_on = data.pop("answered_on")
        enter_paper_answers(
            invitation=invitation,
            answered_on=answered_on,
            answers=Answers(**data),
            entered_by=request.user,
        )
        return Response(status=status.HTTP_201_CREATED)


class PeriodSerializer(serializers.Serializer):  # type: ignore[type-arg]
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": "The period ends before it starts."})
        if (attrs["end"] - attrs["start"]).days > MAX_DAYS:
            raise serializers.ValidationError({"end": "A period is at most 20 years."})
        return attrs


class SurveyFiguresView(StaffAPIView):
    """The survey's counts for a period (both dates included)."""

    serializer_class = PeriodSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("end", str, required=True, description="YYYY-MM-DD"),
        ],
        responses=inline_serializer(
            "SurveyFigures",
            {
                name: serializers.IntegerField()
                for name in (
                    "answers",
                    "satisfied_exchange",
                    "satisfied_broker",
                    "neighbours_0",
                    "neighbours_1",
                    "neighbours_2_plus",
                    "lasting_contacts",
                )
            },
        ),
    )
    def get(self, request: Request) -> Response:
        period = PeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        return Response(selectors.survey_figures(**period.validated_data))


class RemarkListView(mixins.ListModelMixin, StaffAPIView):
    """Answers with a remark, newest first, without names. Every read is audited."""

    serializer_class = AnswerSerializer
    personal_data = {"get": actions.SURVEY_VIEWED}

    def get_queryset(self) -> Any:
        return selectors.remarks()

    def get(self, request: Request) -> Response:
        return self.list(request)
