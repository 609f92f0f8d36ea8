"""The broker's day: the dashboard, and what waits on it (held responses and messages)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from tenants.audit.services import record_audit_event
from tenants.market.models import Response
from tenants.people.models import HeldMessage
from tenants.people.services.messages import mark_held_message_handled
from tijdvoorelkaar.accounts.access import StaffRequired, object_or_404

from .. import selectors, services
from ..dashboard_parts import dashboard_context
from .lookups import next_page


class DashboardView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        context = dashboard_context(selectors.dashboard(), get_token(request))
        return render(request, "brokerage/dashboard.html", context)


class ResponseSeenView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        response = object_or_404(Response.objects.all(), pk, held_for_broker=True)
        services.mark_response_seen(response=response, by=request.user)
        messages.success(request, _("Marked as seen."))
        return redirect(next_page(request, "/broker/"))


class HeldMessageView(StaffRequired, View):
    """A message for someone without e-mail, with how to reach them: reading it is audited."""

    def _message(self, pk: int) -> HeldMessage:
        return object_or_404(
            HeldMessage.objects.select_related("participant"),
            pk,
            participant__erased_at__isnull=True,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        message = self._message(pk)
        record_audit_event(
            actor=request.user,
            action="held_message.viewed",
            target=message,
            detail={"participant": message.participant_id},
        )
        return render(request, "brokerage/held_message.html", {"message": message})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        mark_held_message_handled(message=self._message(pk), handled_by=request.user)
        messages.success(request, _("Marked as passed on."))
        return redirect(next_page(request, "/broker/"))
