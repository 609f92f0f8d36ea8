"""Notes on a participant and the messages held for people who cannot be mailed."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.audit import actions
from tijdvoorelkaar.accounts.access import StaffViewSet

from .. import selectors
from ..models import (
    HeldMessage,
    Note,
)
from ..services.messages import mark_held_message_handled
from ..services.records import edit_note
from .serializers import (
    HeldMessageSerializer,
    NoteSerializer,
)


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
