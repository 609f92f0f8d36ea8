"""Participants under /api/v1/participants/: brokers and admins only. Reads of contact
details and notes are audited like the pages; a registration that looks like a duplicate
answers 409."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.audit import actions
from tijdvoorelkaar.accounts.access import StaffViewSet

from .. import selectors
from ..models import (
    PROFILE_FIELDS,
    ConductCertificate,
    Consent,
    Participant,
    ParticipantProfile,
)
from ..services.consents import give_consent, update_profile, withdraw_consent
from ..services.privacy import erase_participant, export_participant_data
from ..services.records import add_note, record_conduct_certificate
from ..services.registration import (
    DuplicateParticipants,
    enrol_participant,
    update_participant,
)
from ..timeline import timeline_for
from .serializers import (
    DUPLICATE_RESPONSE,
    CertificateSerializer,
    ConsentChangeSerializer,
    ConsentSerializer,
    EraseSerializer,
    NoteSerializer,
    ParticipantSerializer,
    ParticipantWriteSerializer,
    ProfileSerializer,
    RegisterSerializer,
    TimelineEntrySerializer,
)


def _duplicates(error: DuplicateParticipants) -> Response:
    return Response(
        {"detail": error.messages[0], "duplicates": [p.pk for p in error.duplicates]},
        status=status.HTTP_409_CONFLICT,
    )


class ParticipantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet):
    """Participants of this neighbourhood, with their contact details (brokers and admins)."""

    serializer_class = ParticipantSerializer
    personal_data = {
        "list": actions.PARTICIPANT_LIST_VIEWED,
        "retrieve": actions.PARTICIPANT_VIEWED,
        "timeline": actions.PARTICIPANT_VIEWED,
        "profile": actions.PARTICIPANT_PROFILE_VIEWED,
        "notes": actions.NOTES_VIEWED,
    }

    def get_queryset(self) -> QuerySet[Participant]:
        search = self.request.query_params.get("q", "") if self.action == "list" else ""
        search = search.replace("\x00", "")  # PostgreSQL text cannot hold NUL (a 500)
        return selectors.participants(search=search).prefetch_related("consents")

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="name, e-mail address or phone")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=RegisterSerializer,
        responses={201: ParticipantSerializer, 409: DUPLICATE_RESPONSE},
    )
    def create(self, request: Request) -> Response:
        incoming = RegisterSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        fields = dict(incoming.validated_data)
        try:
            participant = enrol_participant(registered_by=request.user, **fields)
        except DuplicateParticipants as error:
            return _duplicates(error)
        participant = self.get_queryset().get(pk=participant.pk)
        return Response(self.get_serializer(participant).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ParticipantWriteSerializer,
        responses={200: ParticipantSerializer, 409: DUPLICATE_RESPONSE},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        participant = self.get_object()
        incoming = ParticipantWriteSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        try:
            update_participant(
                participant=participant, changed_by=request.user, **incoming.validated_data
            )
        except DuplicateParticipants as error:
            return _duplicates(error)
        participant = self.get_queryset().get(pk=participant.pk)
        return Response(self.get_serializer(participant).data)

    @extend_schema(methods=["GET"], request=None, responses=ConsentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ConsentChangeSerializer, responses=ConsentSerializer(many=True)
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def consents(self, request: Request, pk: str) -> Response:
        participant = self.get_object()
        if request.method == "POST":
            incoming = ConsentChangeSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            topic = incoming.validated_data["topic"]
            if incoming.validated_data["action"] == "give":
                give_consent(participant=participant, topic=topic, recorded_by=request.user)
            else:
                withdraw_consent(participant=participant, topic=topic, withdrawn_by=request.user)
        consents = Consent.objects.filter(participant=participant).order_by("given_at", "id")
        return Response(ConsentSerializer(consents, many=True).data)

    @extend_schema(methods=["GET"], request=None, responses=ProfileSerializer)
    @extend_schema(methods=["PUT"], request=ProfileSerializer, responses=ProfileSerializer)
    @action(detail=True, methods=["get", "put"])
    def profile(self, request: Request, pk: str) -> Response:
        participant = self.get_object()
        if request.method == "PUT":
            incoming = ProfileSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            profile = update_profile(
                participant=participant, changed_by=request.user, **incoming.validated_data
            )
        else:
            profile = selectors.profile_of(participant) or ParticipantProfile()
        return Response(ProfileSerializer(profile).data)

    @extend_schema(methods=["GET"], request=None, responses=NoteSerializer(many=True))
    @extend_schema(methods=["POST"], request=NoteSerializer, responses={201: NoteSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def notes(self, request: Request, pk: str) -> Response:
        participant = self.get_object()
        if request.method == "POST":
            incoming = NoteSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            note = add_note(
                participant=participant, author=request.user, text=incoming.validated_data["text"]
            )
            return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)
        return Response(NoteSerializer(selectors.notes_of(participant), many=True).data)

    @extend_schema(methods=["GET"], request=None, responses=CertificateSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=CertificateSerializer, responses={201: CertificateSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def certificates(self, request: Request, pk: str) -> Response:
        participant = self.get_object()
        if request.method == "POST":
            incoming = CertificateSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            certificate = record_conduct_certificate(
                participant=participant, recorded_by=request.user, **incoming.validated_data
            )
            return Response(CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)
        certificates = ConductCertificate.objects.filter(participant=participant)
        return Response(CertificateSerializer(certificates, many=True).data)

    @extend_schema(responses=TimelineEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request: Request, pk: str) -> Response:
        participant = self.get_object()
        return Response(TimelineEntrySerializer(timeline_for(participant), many=True).data)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str) -> Response:
        """Everything kept about the participant, machine-readable (their right of access)."""
        data = export_participant_data(participant=self.get_object(), exported_by=request.user)
        return Response(data)

    @extend_schema(request=EraseSerializer, responses=ParticipantSerializer)
    @action(detail=True, methods=["post"])
    def erase(self, request: Request, pk: str) -> Response:
        """Anonymise the participant on their request (send confirmation "ERASE")."""
        participant = self.get_object()
        incoming = EraseSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        erase_participant(
            participant=participant,
            erased_by=request.user,
            confirmation=incoming.validated_data["confirmation"],
        )
        participant = self.get_queryset().get(pk=participant.pk)
        return Response(self.get_serializer(participant).data)

    @extend_schema(
        responses=inline_serializer(
            "ProfileFigures",
            {
                name: serializers.DictField(child=serializers.IntegerField())
                for name in PROFILE_FIELDS
            },
        )
    )
    @action(detail=False, methods=["get"], url_path="profile-figures", pagination_class=None)
    def profile_figures(self, request: Request) -> Response:
        """Counts per answer of the self-reported fields (consented, not erased): no persons."""
        return Response(selectors.profile_figures())
