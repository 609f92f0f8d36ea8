"""Support conversations with a participant."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from tenants.audit.services import record_audit_event
from tenants.people.models import Participant
from tijdvoorelkaar.accounts.access import StaffRequired

from .. import selectors, services
from ..forms import (
    ConversationForm,
)
from .lookups import next_page, participant_or_404


class ConversationListView(StaffRequired, View):
    """A participant's support conversations; the summaries may be sensitive: audited."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = participant_or_404(pk)
        conversations = list(selectors.participant_conversations(participant))
        record_audit_event(
            actor=request.user,
            action="support_conversation.viewed",
            target=participant,
            detail={"count": len(conversations)},
        )
        return render(
            request,
            "brokerage/conversations.html",
            {
                "participant": participant,
                "conversations": conversations,
                "limit": selectors.support_limit(),
            },
        )


class ConversationNewView(StaffRequired, View):
    def _render(
        self, request: HttpRequest, participant: Participant, form: Any, status: int = 200
    ) -> HttpResponse:
        count = selectors.participant_conversation_count(participant)
        limit = selectors.support_limit()
        return render(
            request,
            "brokerage/conversation_form.html",
            {
                "participant": participant,
                "form": form,
                "count": count,
                "limit": limit,
                "at_limit": count >= limit,
                "next": next_page(request, ""),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, participant_or_404(pk), ConversationForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = participant_or_404(pk)
        form = ConversationForm(request.POST)
        if form.is_valid():
            try:
                services.log_support_conversation(
                    participant=participant, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The conversation is recorded."))
                return redirect(
                    next_page(request, f"/broker/participants/{participant.pk}/conversations/")
                )
        return self._render(request, participant, form, status=400)
