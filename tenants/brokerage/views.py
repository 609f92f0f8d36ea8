"""Pages of the broker's workspace: the day's dashboard, the routing board, support
conversations, the moderation queue, ads placed on someone's behalf, and the admin's routing
steps. Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from tenants.audit.services import record_audit_event
from tenants.market.models import Ad, Report, Response
from tenants.market.services.ads import (
    approve_ad,
    close_ad,
    handle_report,
    place_ad,
    reject_ad,
    renew_ad,
    update_ad,
)
from tenants.people.models import HeldMessage, Participant
from tenants.people.services.messages import mark_held_message_handled
from tijdvoorelkaar.accounts.access import AdminRequired, StaffRequired, local_next
from tijdvoorelkaar.pagination import LOG_PAGE_SIZE, page_of

from . import selectors, services
from .forms import (
    BoardFilterForm,
    BrokerAdEditForm,
    BrokerAdForm,
    ConversationForm,
    MoveForm,
    RejectForm,
    StepNameForm,
)
from .models import RoutingStep


def _participant(pk: int) -> Participant:
    return get_object_or_404(selectors.participants(), pk=pk)


def _next(request: HttpRequest, default: str) -> str:
    """Where to go after a button: a page of the workspace on this host, else `default`."""
    return local_next(request, default, within="/broker/")


# --- The dashboard ---------------------------------------------------------------------------


class DashboardView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        context = {"day": selectors.dashboard(), "today": timezone.localdate()}
        return render(request, "brokerage/dashboard.html", context)


class ResponseSeenView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        response = get_object_or_404(Response, pk=pk, held_for_broker=True)
        services.mark_response_seen(response=response, by=request.user)
        messages.success(request, _("Marked as seen."))
        return redirect(_next(request, "/broker/"))


class HeldMessageView(StaffRequired, View):
    """A message for someone without e-mail, with how to reach them: reading it is audited."""

    def _message(self, pk: int) -> HeldMessage:
        return get_object_or_404(
            HeldMessage.objects.select_related("participant"),
            pk=pk,
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
        return redirect(_next(request, "/broker/"))


# --- The routing board -----------------------------------------------------------------------


class BoardView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filter_form = BoardFilterForm(request.GET or None)
        chosen = filter_form.cleaned_data if filter_form.is_valid() else {}
        sub_area, step = chosen.get("sub_area"), chosen.get("step")
        context = {
            "board": selectors.board(sub_area=sub_area),
            "filter_form": filter_form,
            "here": request.get_full_path(),
        }
        if step is not None:  # one whole step (more people than the board shows), by page
            steps, rows = selectors.running(sub_area=sub_area, step=step)
            context["step"] = step
            context["page"] = page_of(request, rows, size=LOG_PAGE_SIZE)
            context["step_cards"] = selectors.cards(context["page"].object_list, steps)
        return render(request, "brokerage/board.html", context)


class MoveView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = _participant(pk)
        form = MoveForm(request.POST)
        if form.is_valid():
            try:
                services.move_trajectory(
                    participant=participant, to_step=form.cleaned_data["step"], by=request.user
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("%(name)s is now at “%(step)s”.")
                    % {"name": participant.display_name, "step": form.cleaned_data["step"].name},
                )
        else:
            messages.error(request, _("Choose a step from the list."))
        return redirect(_next(request, "/broker/board/"))


# --- Support conversations -------------------------------------------------------------------


class ConversationListView(StaffRequired, View):
    """A participant's support conversations; the summaries may be sensitive: audited."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = _participant(pk)
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
                "next": _next(request, ""),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, _participant(pk), ConversationForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = _participant(pk)
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
                    _next(request, f"/broker/participants/{participant.pk}/conversations/")
                )
        return self._render(request, participant, form, status=400)


# --- Moderation ------------------------------------------------------------------------------


class ModerationView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "brokerage/moderation.html",
            {
                "awaiting": list(selectors.ads_awaiting_approval()[:50]),
                "reports": list(selectors.open_reports()[:50]),
                "reject_form": RejectForm(),
            },
        )


class ApproveAdView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            approve_ad(ad=get_object_or_404(Ad, pk=pk), by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The ad is on the site."))
        return redirect(_next(request, "/broker/moderation/"))


class RejectAdView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ad = get_object_or_404(Ad, pk=pk)
        form = RejectForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            reject_ad(ad=ad, by=request.user, reason=reason)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The ad was rejected."))
        return redirect(_next(request, "/broker/moderation/"))


class HandleReportView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(
            Report.objects.select_related("ad"), pk=pk, handled_at__isnull=True
        )
        outcome = request.POST.get("outcome", "")
        if outcome not in Report.Outcome.values:
            messages.error(request, _("Choose to keep or to remove the ad."))
        else:
            handle_report(report=report, outcome=outcome, by=request.user)
            messages.success(
                request,
                _("The ad stays on the site.")
                if outcome == Report.Outcome.KEPT
                else _("The ad was removed."),
            )
        return redirect(_next(request, "/broker/moderation/"))


# --- Ads on someone's behalf -----------------------------------------------------------------


class BrokerAdNewView(StaffRequired, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = _participant(pk)
        form = BrokerAdForm(
            initial={"sub_area": participant.sub_area_id},
            organisations=participant.organisations.filter(is_active=True),
        )
        return render(request, "brokerage/ad_form.html", {"participant": participant, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = _participant(pk)
        form = BrokerAdForm(
            request.POST, organisations=participant.organisations.filter(is_active=True)
        )
        if form.is_valid():
            try:
                ad = place_ad(
                    participant=participant, placed_by_broker=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("The ad “%(title)s” is on the site for %(name)s.")
                    % {"title": ad.title, "name": participant.display_name},
                )
                return redirect(f"/broker/ads/{ad.pk}/edit/")
        return render(
            request,
            "brokerage/ad_form.html",
            {"participant": participant, "form": form},
            status=400,
        )


def _ad(pk: int) -> Ad:
    return get_object_or_404(
        Ad.objects.select_related("participant", "category"),
        pk=pk,
        participant__erased_at__isnull=True,
    )


class BrokerAdEditView(StaffRequired, View):
    def _render(self, request: HttpRequest, ad: Ad, form: Any, status: int = 200) -> HttpResponse:
        return render(
            request,
            "brokerage/ad_edit.html",
            {"ad": ad, "participant": ad.participant, "form": form},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        ad = _ad(pk)
        form = BrokerAdEditForm(
            initial={
                "title": ad.title,
                "body": ad.body,
                "category": ad.category_id,
                "sub_area": ad.sub_area_id,
                "when": ad.when,
            }
        )
        return self._render(request, ad, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ad = _ad(pk)
        form = BrokerAdEditForm(request.POST)
        if form.is_valid():
            try:
                update_ad(ad=ad, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The ad is saved."))
                return redirect(f"/broker/ads/{ad.pk}/edit/")
        return self._render(request, ad, form, status=400)


class BrokerAdRenewView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            renew_ad(ad=_ad(pk), by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The ad runs again from today."))
        return redirect(f"/broker/ads/{pk}/edit/")


class BrokerAdCloseView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        close_ad(ad=_ad(pk), by=request.user)
        messages.success(request, _("The ad is off the site."))
        return redirect(f"/broker/ads/{pk}/edit/")


# --- The admin's routing steps ---------------------------------------------------------------


class RoutingAdminView(AdminRequired, View):
    def _render(self, request: HttpRequest, form: Any, status: int = 200) -> HttpResponse:
        steps = list(selectors.all_routing_steps())
        return render(
            request,
            "brokerage/routing.html",
            {"steps": steps, "form": form, "active_count": sum(s.is_active for s in steps)},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, StepNameForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StepNameForm(request.POST)
        if form.is_valid():
            try:
                services.add_routing_step(name=form.cleaned_data["name"], by=request.user)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The step was added at the end."))
                return redirect("brokerage:routing")
        return self._render(request, form, status=400)


class RoutingStepView(AdminRequired, View):
    """One step's buttons: rename, move up or down, retire, restore."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        step = get_object_or_404(RoutingStep, pk=pk)
        action = request.POST.get("action", "")
        try:
            if action == "rename":
                services.rename_routing_step(
                    step=step, name=request.POST.get("name", ""), by=request.user
                )
            elif action in ("up", "down"):
                services.move_routing_step(step=step, direction=action, by=request.user)
            elif action == "retire":
                services.retire_routing_step(step=step, by=request.user)
            elif action == "restore":
                services.restore_routing_step(step=step, by=request.user)
            else:
                messages.error(request, _("Unknown action."))
                return redirect("brokerage:routing")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect("brokerage:routing")
