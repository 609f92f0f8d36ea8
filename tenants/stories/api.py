"""Stories under /api/v1/stories/: anyone reads the published ones; the neighbourhood's staff
write, record consents and publish under /api/v1/stories/manage/."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.market.photos import clean_photo
from tijdvoorelkaar.accounts.access import PublicViewSet, StaffViewSet, object_or_404
from tijdvoorelkaar.pagination import ApiPagination

from . import selectors
from .models import Story
from .services import (
    give_story_consent,
    publish_story,
    unpublish_story,
    update_story,
    withdraw_story_consent,
    write_story,
)


class PublicStorySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    photo = serializers.ImageField(read_only=True, allow_null=True, use_url=True)

    class Meta:
        model = Story
        fields = ["id", "title", "text", "photo", "photo_description", "published_at"]
        read_only_fields = fields


class PublicStoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PublicViewSet):
    """Published success stories, newest first."""

    serializer_class = PublicStorySerializer
    pagination_class = ApiPagination

    def get_queryset(self) -> Any:
        return selectors.published_stories()

    def get_object(self) -> Story:
        return object_or_404(self.get_queryset(), self.kwargs["pk"])


class NamedPersonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    participant = serializers.IntegerField(source="participant.pk")
    display_name = serializers.CharField(source="participant.display_name")
    consent_given_at = serializers.DateTimeField(source="consent.given_at", allow_null=True)


class StorySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    mediation = serializers.PrimaryKeyRelatedField(queryset=selectors.matched_mediations())
    photo = serializers.ImageField(required=False, allow_null=True, use_url=True)
    people = serializers.SerializerMethodField()

    class Meta:
        model = Story
        fields = [
            "id",
            "mediation",
            "title",
            "text",
            "photo",
            "photo_description",
            "published_at",
            "people",
        ]
        read_only_fields = ["id", "published_at", "people"]

    @extend_schema_field(NamedPersonSerializer(many=True))
    def get_people(self, story: Story) -> list[dict[str, Any]]:
        return NamedPersonSerializer(selectors.people_with_consent(story), many=True).data  # type: ignore[return-value]

    def validate_photo(self, upload: Any) -> Any:
        return clean_photo(upload) if upload else None


class StoryChangeSerializer(StorySerializer):
    class Meta(StorySerializer.Meta):
        read_only_fields = ["id", "mediation", "published_at", "people"]


class ConsentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    participant = serializers.IntegerField(min_value=1)
    given = serializers.BooleanField(help_text="true records consent; false withdraws it")


class StoryManageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet):
    """Every story (drafts too) with the people it names and their consent. Publishing needs
    the consent of each of them; withdrawing one unpublishes the story."""

    serializer_class = StorySerializer

    def get_queryset(self) -> Any:
        return selectors.all_stories()

    @extend_schema(request=StorySerializer, responses={201: StorySerializer})
    def create(self, request: Request) -> Response:
        incoming = StorySerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        story = write_story(by=request.user, **incoming.validated_data)
        return Response(self._fresh(story.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=StoryChangeSerializer, responses=StorySerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        story = self.get_object()
        incoming = StoryChangeSerializer(story, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        values = {
            "title": story.title,
            "text": story.text,
            "photo_description": story.photo_description,
            **incoming.validated_data,
        }
        photo = values.pop("photo", None)
        remove = "photo" in incoming.validated_data and photo is None
        update_story(story=story, by=request.user, photo=photo, remove_photo=remove, **values)
        return Response(self._fresh(story.pk))

    @extend_schema(request=ConsentSerializer, responses=StorySerializer)
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk: str) -> Response:
        story = self.get_object()
        incoming = ConsentSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        named = {p.pk: p for p in selectors.named_people(story.mediation)}
        person = named.get(incoming.validated_data["participant"])
        if person is None:
            raise serializers.ValidationError(
                {"participant": ["This story does not name this person."]}
            )
        if incoming.validated_data["given"]:
            give_story_consent(story=story, participant=person, by=request.user)
        else:
            withdraw_story_consent(story=story, participant=person, by=request.user)
        return Response(self._fresh(story.pk))

    @extend_schema(request=None, responses=StorySerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        publish_story(story=self.get_object(), by=request.user)
        return Response(self._fresh(int(pk)))

    @extend_schema(request=None, responses=StorySerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request: Request, pk: str) -> Response:
        unpublish_story(story=self.get_object(), by=request.user)
        return Response(self._fresh(int(pk)))

    def _fresh(self, pk: int) -> dict[str, Any]:
        story = self.get_queryset().get(pk=pk)
        return StorySerializer(story, context=self.get_serializer_context()).data
