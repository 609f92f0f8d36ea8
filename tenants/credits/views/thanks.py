"""A resident without an account thanks the other side of a match, from the link in the
"did it work out?" mail: the same link, the credits come off their own balance."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from tenants.mediations.models import Mediation, MediationStatus
from tenants.people.models import Participant, ParticipantLink
from tenants.people.services.links import LinkProblem, live_link

from ..forms import ThankForm
from ..models import Account, Transfer
from ..selectors import balance
from ..services import give_credits
from .common import CreditsOn, new_key


class ThankView(CreditsOn, View):
    template_name = "credits/thank.html"

    def _load(self, token: str) -> tuple[Participant, Participant, Mediation]:
        link = live_link(token=token, purpose=ParticipantLink.Purpose.OUTCOME)
        mediation = (
            Mediation.objects.select_related("requester", "provider")
            .filter(pk=link.subject_id, status=MediationStatus.MATCH, provider__isnull=False)
            .first()
        )
        if mediation is None or link.participant_id not in (
            mediation.requester_id,
            mediation.provider_id,
        ):
            raise LinkProblem("unknown")
        giver = link.participant
        receiver = mediation.provider if giver.pk == mediation.requester_id else mediation.requester
        return giver, receiver, mediation  # type: ignore[return-value]

    def _render(self, request: HttpRequest, status: int = 200, **context: object) -> HttpResponse:
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            giver, receiver, mediation = self._load(token)
        except LinkProblem as problem:
            return self._render(request, 404, problem=problem.reason)
        form = ThankForm(initial={"amount": 1, "idempotency_key": new_key()})
        return self._page(request, form, giver, receiver, mediation)

    def _page(self, request, form, giver, receiver, mediation, status=200):  # type: ignore[no-untyped-def]
        account = Account.objects.filter(kind=Account.Kind.PARTICIPANT, participant=giver).first()
        given = (
            Transfer.objects.filter(
                mediation=mediation, kind=Transfer.Kind.GIFT, movements__account=account
            ).first()
            if account
            else None
        )
        return self._render(
            request,
            status,
            form=form,
            receiver=receiver,
            balance=balance(account) if account else 0,
            given=given,
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            giver, receiver, mediation = self._load(token)
        except LinkProblem as problem:
            return self._render(request, 404, problem=problem.reason)
        form = ThankForm(request.POST)
        if form.is_valid():
            try:
                give_credits(
                    giver=giver,
                    receiver=receiver,
                    amount=form.cleaned_data["amount"],
                    by=giver,
                    description=form.cleaned_data["description"],
                    mediation=mediation,
                    idempotency_key=form.cleaned_data["idempotency_key"] or None,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return self._page(request, ThankForm(), giver, receiver, mediation)
        return self._page(request, form, giver, receiver, mediation, status=400)
