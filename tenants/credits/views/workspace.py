"""The broker's and the admin's credits pages: the overview (and its download), a
participant's full statement, reversing a transfer, a gift recorded for someone offline (or
after a match, from the mediation's page), a reward of volunteers as one background job, and
the admin's limits."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from tenants.audit.actions import CREDIT_ACCOUNT_LIST_VIEWED, CREDIT_STATEMENT_VIEWED
from tenants.audit.services import record_audit_event
from tenants.mediations.models import Mediation, MediationStatus
from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.accounts.access import AdminRequired, StaffRequired, object_or_404
from tijdvoorelkaar.neighbourhoods.views import SettingsPage
from tijdvoorelkaar.pagination import page_of

from .. import reports
from ..forms import CreditSettingsForm, ExportForm, GiftForm, ReverseForm, RewardForm
from ..models import Account, Transfer
from ..naming import credits_text
from ..rewards import start_reward
from ..selectors import balance, statement, volunteers_of
from ..services import give_credits, reverse_transfer
from .common import CreditsOn, new_key, reward_job_page


class OverviewView(CreditsOn, StaffRequired, View):
    """Issued, in circulation, redeemed, per organisation, and who holds how many."""

    def get(self, request: HttpRequest) -> HttpResponse:
        page = page_of(request, reports.participant_balances())
        record_audit_event(
            actor=request.user,
            action=CREDIT_ACCOUNT_LIST_VIEWED,
            detail={"ids": [account.pk for account in page]},
        )
        context = {"overview": reports.overview(), "page": page}
        return render(request, "credits/overview.html", context)


class ExportView(CreditsOn, StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = ExportForm(request.GET)
        if not form.is_valid():
            raise Http404
        export = reports.export_balances(
            file_format=form.cleaned_data["file_format"], by=request.user
        )
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Cache-Control"] = "no-store"
        return response


class ParticipantStatementView(CreditsOn, StaffRequired, View):
    """A participant's balance and every movement with the balance after it; each transfer
    can be reversed from here."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = object_or_404(Participant.objects.all(), pk)
        account = Account.objects.filter(
            kind=Account.Kind.PARTICIPANT, participant=participant
        ).first()
        page = page_of(request, statement(account) if account else [])
        record_audit_event(
            actor=request.user, action=CREDIT_STATEMENT_VIEWED, target=participant, detail={}
        )
        context = {
            "participant": participant,
            "balance": balance(account) if account else 0,
            "page": page,
        }
        return render(request, "credits/statement.html", context)


class ReverseView(CreditsOn, StaffRequired, View):
    def _transfer(self, pk: int) -> Transfer:
        return object_or_404(
            Transfer.objects.prefetch_related("movements__account__participant"), pk
        )

    def _render(
        self, request: HttpRequest, transfer: Transfer, form: ReverseForm, status: int = 200
    ) -> HttpResponse:
        back = request.GET.get("participant") or request.POST.get("participant") or ""
        context = {
            "transfer": transfer,
            "form": form,
            "participant": back if back.isdecimal() else "",
        }
        return render(request, "credits/reverse.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(
            request, self._transfer(pk), ReverseForm(initial={"idempotency_key": new_key()})
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = self._transfer(pk)
        form = ReverseForm(request.POST)
        if form.is_valid():
            try:
                reverse_transfer(
                    transfer=transfer,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    idempotency_key=form.cleaned_data["idempotency_key"] or None,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The transfer is reversed."))
                participant = request.POST.get("participant", "")
                if participant.isdecimal():
                    return redirect("credits:statement", pk=int(participant))
                return redirect("credits:overview")
        return self._render(request, transfer, form, status=400)


def _matched(pk: str | None) -> Mediation | None:
    if not pk or not str(pk).isdecimal():
        return None
    return (
        Mediation.objects.select_related("requester", "provider")
        .filter(pk=int(pk), status=MediationStatus.MATCH, provider__isnull=False)
        .first()
    )


class GiftView(CreditsOn, StaffRequired, View):
    """A thank-you recorded by the broker for someone offline; from a mediation that ended in
    a match, the two sides and one hour are filled in (one click)."""

    def _render(self, request: HttpRequest, form: GiftForm, status: int = 200) -> HttpResponse:
        mediation = _matched(form["mediation"].value())
        return render(
            request, "credits/gift.html", {"form": form, "mediation": mediation}, status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        initial: dict[str, object] = {"amount": 1, "idempotency_key": new_key()}
        giver = request.GET.get("giver", "")
        if giver.isdecimal():
            initial["giver"] = giver
        mediation = _matched(request.GET.get("mediation"))
        if mediation is not None:
            initial |= {
                "giver": mediation.requester,
                "receiver": mediation.provider,
                "mediation": mediation.pk,
                "description": _("Thank you for your help"),
            }
        return self._render(request, GiftForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = GiftForm(request.POST)
        if form.is_lookup:
            return self._render(request, form)
        if form.is_valid():
            data = form.cleaned_data
            mediation = _matched(data["mediation"]) if data["mediation"] else None
            try:
                if data["mediation"] and mediation is None:
                    raise ValidationError(
                        {
                            "mediation": _(
                                "Choose a mediation between these two that ended in a match."
                            )
                        }
                    )
                give_credits(
                    giver=data["giver"],
                    receiver=data["receiver"],
                    amount=data["amount"],
                    by=request.user,
                    description=data["description"],
                    mediation=mediation,
                    idempotency_key=data["idempotency_key"] or None,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("%(amount)s from %(giver)s to %(receiver)s recorded.")
                    % {
                        "amount": credits_text(data["amount"]),
                        "giver": data["giver"].display_name,
                        "receiver": data["receiver"].display_name,
                    },
                )
                if mediation is not None:
                    return redirect("mediations:detail", pk=mediation.pk)
                return redirect("credits:statement", pk=data["giver"].pk)
        return self._render(request, form, status=400)


class RewardView(CreditsOn, StaffRequired, View):
    """Volunteers rewarded by an organisation (or the neighbourhood): N credits each, as one
    background job; `?organisation=` fills in its members and placements."""

    def _render(self, request: HttpRequest, form: RewardForm, status: int = 200) -> HttpResponse:
        return render(request, "credits/reward.html", {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        initial: dict[str, object] = {"amount_each": 1, "idempotency_key": new_key()}
        chosen = request.GET.get("organisation", "")
        organisation = (
            Organisation.objects.filter(pk=int(chosen)).first() if chosen.isdecimal() else None
        )
        if organisation is not None:
            volunteers = volunteers_of(organisation).order_by("pk").values_list("pk", flat=True)
            initial |= {
                "organisation": organisation,
                "recipients": " ".join(str(pk) for pk in volunteers),
            }
        return self._render(request, RewardForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RewardForm(request.POST)
        if form.is_lookup:
            return self._render(request, form)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = start_reward(
                    recipients=data["recipients"],
                    amount_each=data["amount_each"],
                    by=request.user,
                    description=data["description"],
                    organisation=data["organisation"],
                    submission_key=data["idempotency_key"] or None,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return redirect("credits:reward-job", job=job)
        return self._render(request, form, status=400)


class RewardJobView(CreditsOn, StaffRequired, View):
    """The reward's progress."""

    def get(self, request: HttpRequest, job: str) -> HttpResponse:
        return reward_job_page(request, job)


class SettingsView(CreditsOn, AdminRequired, SettingsPage):
    """The admin's limits: the maximum balance and when unused credits expire."""

    form_class = CreditSettingsForm
    template_name = "credits/settings.html"
    saved_url = "credits:settings"
