"""Participants under /api/v1/: brokers and admins only. Reads of contact details and notes
are audited like the pages; a registration that looks like a duplicate answers 409."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.audit import actions
from tijdvoorelkaar.accounts.access import StaffViewSet

from . import selectors
from .forms import LANGUAGE_CHOICES
from .models import (
    PROFILE_FIELDS,
    ConductCertificate,
    Consent,
    ConsentTopic,
    HeldMessage,
    Note,
    Participant,
    ParticipantProfile,
)
from .services import mark_held_message_handled
from .services.consents import give_consent, update_profile, withdraw_consent
from .services.privacy import erase_participant, export_participant_data
from .services.records import add_note, edit_note, record_conduct_certificate
from .services.registration import (
    EDITABLE_FIELDS,
    DuplicateParticipants,
    enrol_participant,
    update_participant,
)
from .timeline import timeline_for


class ParticipantSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    consents = serializers.SerializerMethodField()

    class Meta:
        model = Participant
        fields = [
            "id",
            *EDITABLE_FIELDS,
            "is_offline",
            "consents",
            "created_at",
            "erased_at",
        ]
        read_only_fields = fields

    def get_consents(self, obj: Participant) -> list[str]:
        return sorted(c.topic for c in obj.consents.all() if c.withdrawn_at is None)


class ParticipantWriteSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    preferred_language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    confirm_not_duplicate = serializers.BooleanField(
        default=False,
        help_text="Register or save even though someone with this e-mail or phone exists.",
    )

    class Meta:
        model = Participant
        fields = [*EDITABLE_FIELDS, "confirm_not_duplicate"]


@extend_schema_field({"type": "array", "items": {"type": "string", "enum": ConsentTopic.values}})
class ConsentListField(serializers.ListField):  # type: ignore[type-arg]
    """A list of consent topics (described inline, so the topic enum keeps one name)."""


class RegisterSerializer(ParticipantWriteSerializer):
    consents = ConsentListField(
        child=serializers.ChoiceField(choices=ConsentTopic.choices),
        help_text='Consents given now; "registration" is required.',
    )

    class Meta(ParticipantWriteSerializer.Meta):
        fields = [*ParticipantWriteSerializer.Meta.fields, "consents"]


DUPLICATE_RESPONSE = inline_serializer(
    "DuplicateParticipants",
    {
        "detail": serializers.CharField(),
        "duplicates": serializers.ListField(child=serializers.IntegerField()),
    },
)


class ConsentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Consent
        fields = ["id", "topic", "given_at", "recorded_by", "withdrawn_at"]
        read_only_fields = fields


class ConsentChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    topic = serializers.ChoiceField(choices=ConsentTopic.choices)
    action = serializers.ChoiceField(choices=[("give", "give"), ("withdraw", "withdraw")])


class ProfileSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ParticipantProfile
        fields = list(PROFILE_FIELDS)
        extra_kwargs = {name: {"required": False} for name in PROFILE_FIELDS}


class NoteSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Note
        fields = ["id", "participant", "author", "text", "created_at", "edited_at"]
        read_only_fields = ["id", "participant", "author", "created_at", "edited_at"]


class CertificateSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    valid = serializers.SerializerMethodField()

    class Meta:
        model = ConductCertificate
        fields = ["id", "seen_on", "valid_until", "valid", "recorded_at"]
        read_only_fields = ["id", "valid", "recorded_at"]
        extra_kwargs = {"valid_until": {"required": False}}

    def get_valid(self, obj: ConductCertificate) -> bool:
        return selectors.certificate_is_valid(obj)


class TimelineEntrySerializer(serializers.Serializer):  # type: ignore[type-arg]
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    detail = serializers.CharField()


class EraseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    confirmation = serializers.CharField(help_text='Must be "ERASE".')


class HeldMessageSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = HeldMessage
        fields = [
            "id",
            "participant",
            "purpose",
            "subject",
            "body",
            "created_at",
            "handled_at",
            "handled_by",
        ]
        read_only_fields = fields


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


class NoteViewSet(mixins.RetrieveModelMixin, StaffViewSet):
    """One note: read (audited) or change its text."""

    serializer_class = NoteSerializer
    personal_data = {"retrieve": actions.NOTES_VIEWED}

    def get_queryset(self) -> QuerySet[Note]:
        return Note.objects.select_related("participant")

    @extend_schema(request=NoteSerializer, responses=NoteSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        note = self.get_object()
        incoming = NoteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        note = edit_note(note=note, editor=request.user, text=incoming.validated_data["text"])
        return Response(self.get_serializer(note).data)


class HeldMessageViewSet(mixins.ListModelMixin, StaffViewSet):
    """Messages for participants without e-mail, waiting to be passed on (oldest first)."""

    serializer_class = HeldMessageSerializer
    personal_data = {"list": actions.HELD_MESSAGE_LIST_VIEWED}

    def get_queryset(self) -> QuerySet[HeldMessage]:
        if self.action == "list":
            return selectors.pending_held_messages()
        return HeldMessage.objects.select_related("participant")

    @extend_schema(request=None, responses=HeldMessageSerializer)
    @action(detail=True, methods=["post"])
    def handled(self, request: Request, pk: str) -> Response:
        """The broker passed it on."""
        message = mark_held_message_handled(message=self.get_object(), handled_by=request.user)
        return Response(self.get_serializer(message).data)
