"""Notes on a participant and the messages held for people who cannot be mailed."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.audit.services import record_audit_event
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

    def get_queryset(self) -> QuerySet[Note]:
        return Note.objects.select_related("participant")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        note = self.get_object()
        record_audit_event(
            actor=request.user,
            action="notes.viewed",
            target=note.participant,
            detail={"notes": [note.pk], "api": True},
        )
        return Response(self.get_serializer(note).data)

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

    def get_queryset(self) -> QuerySet[HeldMessage]:
        if self.action == "list":
            return selectors.pending_held_messages()
        return HeldMessage.objects.select_related("participant")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        record_audit_event(
            actor=request.user,
            action="held_messages.listed",
            detail={"held_messages": [message.pk for message in page], "api": True},
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=None, responses=HeldMessageSerializer)
    @action(detail=True, methods=["post"])
    def handled(self, request: Request, pk: str) -> Response:
        """The broker passed it on."""
        message = mark_held_message_handled(message=self.get_object(), handled_by=request.user)
        return Response(self.get_serializer(message).data)
