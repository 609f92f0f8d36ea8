"""The shapes the participant endpoints read and write (shape only: the services decide)."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers

from .. import selectors
from ..forms import LANGUAGE_CHOICES
from ..models import (
    PROFILE_FIELDS,
    ConductCertificate,
    Consent,
    ConsentTopic,
    HeldMessage,
    Note,
    Participant,
    ParticipantProfile,
)
from ..services.registration import (
    EDITABLE_FIELDS,
)


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
    confirmation = serializers.CharField(
        help_text='"ERASE" (or the word of the request\'s language: "WISSEN" in Dutch).'
    )


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
