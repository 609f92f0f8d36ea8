"""The API for responding to ads, reporting them, the owner's reply and "did it work out?".

Responding and reporting are open to anyone (as the pages are), limited per IP address and
per e-mail address or phone number, with the same honeypot field. The reply and the outcome
answer are guarded by the mailed token. Brokers and admins list the responses held for them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response as APIResponse

from tenants.audit import actions
from tenants.market.limits import HONEYPOT_FIELD, address_limited, ip_limited
from tenants.market.models import Report, Response
from tenants.mediations.selectors import mediation_for_feedback, mediation_sides, recorded_feedback
from tenants.mediations.services import record_feedback
from tenants.people.models import ParticipantLink
from tenants.people.services.links import LinkProblem, redeem_link
from tenants.people.sessions import current_participant
from tijdvoorelkaar.accounts.access import PublicAPIView, StaffViewSet

from .selectors import held_responses, outcome_link, response_for_reply_token
from .services.messages import MESSAGE_MAX_LENGTH
from .services.replies import reply_to_response
from .services.reports import EXPLANATION_MAX_LENGTH, report_ad
from .services.responses import OwnAd, mark_response_seen, respond_to_ad
from .views.responses import published_ad

LIMITED = OpenApiResponse(description="Too many attempts from this address; try again later.")
PASSED_ON = inline_serializer("PassedOn", {"status": serializers.CharField()})


class LinkExpired(APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "This link has expired."
    default_code = "expired"


def _invalid_link() -> NotFound:
    return NotFound("This link is not valid.")


def _too_many() -> APIResponse:
    return APIResponse(
        {"detail": _("Too many attempts; try again in an hour.")},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )


class RespondSerializer(serializers.Serializer):  # type: ignore[type-arg]
    display_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    message = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)
    website = serializers.CharField(
        required=False, allow_blank=True, help_text="Leave empty (a trap for robots)."
    )


class RespondView(PublicAPIView):
    """Respond to a published ad. Without signing in give a name and an e-mail address or a
    phone number; these are never passed on to the ad's owner."""

    @extend_schema(
        request=RespondSerializer,
        responses={201: PASSED_ON, 400: OpenApiResponse(description="Invalid"), 429: LIMITED},
    )
    def post(self, request: Request, pk: int) -> APIResponse:
        ad = published_ad(pk)
        if ip_limited(request._request, "respond"):
            return _too_many()
        incoming = RespondSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        participant = current_participant(request._request)
        if participant is None and address_limited(
            request._request, "respond", email=data.get("email", ""), phone=data.get("phone", "")
        ):
            return _too_many()
        passed_on = APIResponse({"status": "passed_on"}, status=status.HTTP_201_CREATED)
        if data.get(HONEYPOT_FIELD, "").strip():
            return passed_on
        try:
            respond_to_ad(
                ad=ad,
                display_name=data.get("display_name", ""),
                email=data.get("email", ""),
                phone=data.get("phone", ""),
                message=data["message"],
                signed_in=participant,
                language=getattr(request, "LANGUAGE_CODE", ""),
            )
        except OwnAd:
            if participant is not None:
                raise
            return passed_on  # do not confirm whose address it is
        return passed_on


class ReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    explanation = serializers.CharField(
        max_length=EXPLANATION_MAX_LENGTH, required=False, allow_blank=True
    )
    website = serializers.CharField(
        required=False, allow_blank=True, help_text="Leave empty (a trap for robots)."
    )


class ReportView(PublicAPIView):
    """Report a published ad as inappropriate; it goes to the broker's moderation queue."""

    @extend_schema(
        request=ReportSerializer,
        responses={201: PASSED_ON, 400: OpenApiResponse(description="Invalid"), 429: LIMITED},
    )
    def post(self, request: Request, pk: int) -> APIResponse:
        ad = published_ad(pk)
        if ip_limited(request._request, "report"):
            return _too_many()
        incoming = ReportSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if not data.get(HONEYPOT_FIELD, "").strip():
            report_ad(ad=ad, reason=data["reason"], explanation=data.get("explanation", ""))
        return APIResponse({"status": "received"}, status=status.HTTP_201_CREATED)


class ReplyStateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ad_title = serializers.CharField()
    responder_name = serializers.CharField()
    message = serializers.CharField()
    replied_at = serializers.DateTimeField(allow_null=True)
    responder_email = serializers.CharField(
        allow_blank=True, help_text="Shown only after the owner replied."
    )
    responder_phone = serializers.CharField(
        allow_blank=True, help_text="Shown only after the owner replied, without an e-mail."
    )


class ReplySerializer(serializers.Serializer):  # type: ignore[type-arg]
    message = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)
    share_email = serializers.BooleanField(default=False)
    share_phone = serializers.BooleanField(default=False)


def _reply_state(response: Response) -> dict[str, Any]:
    replied = response.owner_replied_at is not None
    responder = response.responder
    return {
        "ad_title": response.ad.title,
        "responder_name": responder.display_name,
        "message": response.message,
        "replied_at": response.owner_replied_at,
        "responder_email": responder.email if replied else "",
        "responder_phone": responder.phone if replied and not responder.email else "",
    }


class ReplyView(PublicAPIView):
    """The ad's owner answers a response, with the token from the relayed mail."""

    def _response(self, token: str) -> Response:
        response = response_for_reply_token(token)
        if response is None or response.held_for_broker:
            raise _invalid_link()
        return response

    @extend_schema(responses={200: ReplyStateSerializer, 404: OpenApiResponse()})
    def get(self, request: Request, token: str) -> APIResponse:
        return APIResponse(ReplyStateSerializer(_reply_state(self._response(token))).data)

    @extend_schema(
        request=ReplySerializer,
        responses={200: ReplyStateSerializer, 400: OpenApiResponse(), 404: OpenApiResponse()},
    )
    def post(self, request: Request, token: str) -> APIResponse:
        response = self._response(token)
        incoming = ReplySerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        response = reply_to_response(response=response, **incoming.validated_data)
        response = self._response(token)
        return APIResponse(ReplyStateSerializer(_reply_state(response)).data)


class OutcomeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    answer = serializers.ChoiceField(choices=["yes", "no"])


class OutcomeStateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    answer = serializers.ChoiceField(choices=["yes", "no"], allow_null=True)


class OutcomeView(PublicAPIView):
    """ "Did it work out?", answered with the token from the mailed question. The answer may
    be changed while the link is valid (30 days)."""

    def _load(self, token: str) -> tuple[ParticipantLink, Any]:
        try:
            link = outcome_link(token)
        except LinkProblem as problem:
            raise (LinkExpired() if problem.reason == "expired" else _invalid_link()) from problem
        mediation = mediation_for_feedback(link.subject_id)
        if mediation is None or link.participant_id not in {
            p.pk for p in mediation_sides(mediation)
        }:
            raise _invalid_link()
        return link, mediation

    @extend_schema(responses={200: OutcomeStateSerializer, 404: OpenApiResponse()})
    def get(self, request: Request, token: str) -> APIResponse:
        link, mediation = self._load(token)
        recorded = recorded_feedback(mediation, link.participant)
        answer = None if recorded is None else ("yes" if recorded else "no")
        return APIResponse({"answer": answer})

    @extend_schema(
        request=OutcomeSerializer,
        responses={200: OutcomeStateSerializer, 404: OpenApiResponse(), 410: OpenApiResponse()},
    )
    def post(self, request: Request, token: str) -> APIResponse:
        link, mediation = self._load(token)
        incoming = OutcomeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            redeem_link(token=token, purpose=ParticipantLink.Purpose.OUTCOME)
        except LinkProblem as problem:
            if problem.reason != "used":
                raise _invalid_link() from problem
        answer = incoming.validated_data["answer"]
        record_feedback(
            mediation=mediation, participant=link.participant, worked_out=answer == "yes"
        )
        return APIResponse({"answer": answer})


class HeldResponseSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    ad_title = serializers.CharField(source="ad.title")
    owner = serializers.IntegerField(source="ad.participant_id")
    owner_name = serializers.CharField(source="ad.participant.display_name")
    responder_name = serializers.CharField(source="responder.display_name")

    class Meta:
        model = Response
        fields = [
            "id",
            "ad",
            "ad_title",
            "owner",
            "owner_name",
            "responder",
            "responder_name",
            "message",
            "created_at",
            "seen_by_broker_at",
        ]


class HeldResponseViewSet(mixins.ListModelMixin, StaffViewSet):
    """Responses to ads of participants matched only through the broker: they wait here
    (unseen first) for the broker to pass them on. Participants' contact details are on
    their own (audited) records, not here."""

    serializer_class = HeldResponseSerializer
    personal_data = {"list": actions.HELD_RESPONSE_LIST_VIEWED}

    def get_queryset(self) -> Any:
        return held_responses()

    @extend_schema(request=None, responses={200: HeldResponseSerializer})
    @action(detail=True, methods=["post"])
    def seen(self, request: Request, pk: str) -> APIResponse:
        response = self.get_object()
        response = mark_response_seen(response=response, by=request.user)
        return APIResponse(HeldResponseSerializer(response).data)
