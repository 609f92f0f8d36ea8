"""The marketplace API's serializers (shape only). `AdFieldsSerializer` is what an ad says;
the broker's workspace builds its own ad input on it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from tenants.organisations.models import Organisation
from tenants.people.models import Participant, SubArea

from ..models import Ad, AdKind, AdStatus, Category
from ..photos import clean_photo

# What every representation of an ad starts with: the public one here, the broker's in the
# workspace (which names the category, sub-area and participant by id).
AD_FIELDS = ["id", "kind", "title", "body", "category", "sub_area", "when"]


class CategorySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Category
        # `name` is the Dutch name, `display_name` the one in the request's language.
        fields = ["id", "name", "name_en", "display_name", "slug", "position"]


class SubAreaSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = SubArea
        fields = ["id", "name", "position"]


class OwnerSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A participant's public face: never contact data."""

    class Meta:
        model = Participant
        fields = ["id", "display_name"]


class AdSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    category = CategorySerializer(read_only=True)
    sub_area = SubAreaSerializer(read_only=True)
    owner = OwnerSerializer(source="participant", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True, default=None)
    photo = serializers.SerializerMethodField()

    class Meta:
        model = Ad
        fields = [
            *AD_FIELDS,
            "photo",
            "owner",
            "organisation",
            "status",
            "published_at",
            "expires_at",
        ]
        read_only_fields = fields

    def get_photo(self, ad: Ad) -> str | None:
        return ad.photo.url if ad.photo else None


class PersonAdSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Ad
        fields = ["id", "kind", "title", "published_at"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    sub_area = serializers.CharField(source="sub_area.name", read_only=True, default=None)
    open_ads = PersonAdSerializer(many=True, read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "display_name", "sub_area", "introduction", "open_ads"]
        read_only_fields = fields


def _photo(upload: Any) -> Any:
    """The page's photo rules: an image of at most 5 MB, downscaled, metadata stripped."""
    if not upload:
        return None
    try:
        return clean_photo(upload)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from error


class AdFieldsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What an ad says, as a resident or the broker fills it in (shape only; the services
    decide). Changes send it with `partial=True`: only the fields sent change."""

    title = serializers.CharField(max_length=100)
    body = serializers.CharField(max_length=2000)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    sub_area = serializers.PrimaryKeyRelatedField(
        queryset=SubArea.objects.all(), required=False, allow_null=True
    )
    when = serializers.CharField(max_length=120, required=False, allow_blank=True)


class AdInputSerializer(AdFieldsSerializer):
    """What a resident fills in; the same rules as the page (without the honeypot). Send it as
    multipart/form-data to include a photo."""

    kind = serializers.ChoiceField(choices=AdKind.choices)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True), required=False, allow_null=True
    )
    display_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    photo = serializers.FileField(
        required=False, allow_null=True, help_text="JPEG, PNG or WebP, at most 5 MB."
    )

    def validate_photo(self, upload: Any) -> Any:
        return _photo(upload)


class AdChangeSerializer(AdFieldsSerializer):
    """An owner's change (send with `partial=True`)."""

    photo = serializers.FileField(
        required=False, allow_null=True, help_text="JPEG, PNG or WebP, at most 5 MB."
    )

    def validate_photo(self, upload: Any) -> Any:
        return _photo(upload)


class PlacedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=AdStatus.choices)
    detail = serializers.CharField()


class ConfirmSerializer(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField(max_length=200)
