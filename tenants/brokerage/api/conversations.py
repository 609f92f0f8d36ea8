"""Support conversations: logged by staff; reading their summaries is audited."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.audit import actions
from tijdvoorelkaar.accounts.access import StaffViewSet

from .. import selectors, services
from ..models import Channel, SupportConversation


class ConversationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = SupportConversation
        fields = ["id", "participant", "held_on", "channel", "summary", "by", "created_at"]
        read_only_fields = ["id", "by", "created_at"]
        extra_kwargs = {
            "participant": {"queryset": selectors.participants()},
            "held_on": {"required": False},
            "channel": {"choices": Channel.choices},
        }


def _participant_filter(request: Request) -> int | None:
    participant = request.query_params.get("participant", "")
    return int(participant) if participant.isdecimal() else None


class ConversationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, StaffViewSet):
    """Support conversations (filter by `participant`). Reading summaries is audited."""

    serializer_class = ConversationSerializer
    personal_data = {"list": actions.SUPPORT_CONVERSATION_VIEWED}

    def get_queryset(self) -> Any:
        conversations = SupportConversation.objects.filter(
            participant__erased_at__isnull=True
        ).order_by("-held_on", "-id")
        participant = _participant_filter(self.request)
        if participant is not None:
            conversations = conversations.filter(participant_id=participant)
        return conversations

    @extend_schema(parameters=[OpenApiParameter("participant", int, required=False)])
    def list(self, request: Request) -> Response:
        return super().list(request)

    def create(self, request: Request) -> Response:
        incoming = ConversationSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        conversation = services.log_support_conversation(by=request.user, **incoming.validated_data)
        data = ConversationSerializer(conversation).data
        count = conversation.participant.support_conversations.count()
        limit = selectors.support_limit()
        data["count"] = count
        data["over_limit"] = count > limit
        return Response(data, status=status.HTTP_201_CREATED)
