"""The offers' pages: the list, making one, redeeming one (the resident signed in by a link,
or the broker for someone), and what was redeemed with an organisation."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tenants.organisations.models import Organisation
from tenants.people.forms import ParticipantField, ParticipantLookupMixin
from tenants.people.sessions import current_participant
from tijdvoorelkaar.accounts.access import NeighbourhoodRoleRequired, object_or_404
from tijdvoorelkaar.accounts.models import STAFF_ROLES, Role
from tijdvoorelkaar.forms import DateInput, ServiceErrorsMixin
from tijdvoorelkaar.pagination import page_of

from .models import AMOUNT_DIGITS, Account, Offer
from .offers import (
    available_offers,
    create_offer,
    organisations_run_by,
    redeem_offer,
    redemptions_received_by,
)
from .selectors import balance
from .switch import CreditsOnRequired

PROVIDER_ROLES = frozenset({*STAFF_ROLES, Role.ORGANISATION})


def is_staff(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.role in STAFF_ROLES)  # type: ignore[union-attr]


class OfferForm(ServiceErrorsMixin, forms.Form):
    provider = forms.ModelChoiceField(
        label=gettext_lazy("Organisation or shop"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=gettext_lazy("What you give"), max_length=100)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, max_length=1000, widget=forms.Textarea
    )
    price = forms.DecimalField(
        label=gettext_lazy("Price in credits"), max_digits=AMOUNT_DIGITS + 4, decimal_places=6
    )
    stock = forms.IntegerField(
        label=gettext_lazy("How many (empty: no limit)"), required=False, min_value=1
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Available until (optional)"), required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = organisations_run_by(user).order_by("name")  # type: ignore[attr-defined]


class RedeemForm(ServiceErrorsMixin, ParticipantLookupMixin, forms.Form):
    """The broker names the participant; a resident redeems for themselves (no field)."""

    participant = ParticipantField(label=gettext_lazy("For participant"))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, for_self: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_self:
            del self.fields["participant"]


class OfferListView(CreditsOnRequired, View):
    """The offers anyone may see; the links fit who is looking."""

    def get(self, request: HttpRequest) -> HttpResponse:
        participant = current_participant(request)
        context = {
            "offers": list(available_offers()),
            "can_redeem": participant is not None or is_staff(request),
            "manages": organisations_run_by(request.user).exists(),
            "staff": is_staff(request),
            "participant": participant,
        }
        if participant is not None:
            context["balance"] = _balance_of(participant)
        return render(request, "credits/offers.html", context)


def _balance_of(participant: Any) -> Decimal:
    """The participant's balance; the page writes it in the reader's language (1,5 in Dutch)."""
    account = Account.objects.filter(kind=Account.Kind.PARTICIPANT, participant=participant).first()
    return balance(account) if account is not None else Decimal(0)


class OfferCreateView(CreditsOnRequired, NeighbourhoodRoleRequired, View):
    allowed_roles = PROVIDER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, OfferForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OfferForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                create_offer(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Offer published."))
                return redirect("credits:offers")
        return self._render(request, form, status=400)

    def _render(self, request: HttpRequest, form: OfferForm, status: int = 200) -> HttpResponse:
        return render(request, "credits/offer_form.html", {"form": form}, status=status)


class OfferRedeemView(CreditsOnRequired, View):
    """A resident signed in by a link pays from their own account; the broker chooses the
    participant it is for. Anyone else: not found."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.staff = is_staff(request)
        self.participant = None if self.staff else current_participant(request)
        return super().dispatch(request, *args, **kwargs)

    def _offer(self, pk: int) -> Offer:
        if not self.staff and self.participant is None:
            raise Http404
        return object_or_404(available_offers(), pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        offer = self._offer(pk)
        form = RedeemForm(
            for_self=not self.staff, initial={"idempotency_key": secrets.token_urlsafe(16)}
        )
        return self._render(request, offer, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        offer = self._offer(pk)
        form = RedeemForm(request.POST, for_self=not self.staff)
        if not form.is_lookup and form.is_valid():
            payer = self.participant or form.cleaned_data["participant"]
            try:
                redeem_offer(
                    offer=offer,
                    participant=payer,
                    by=request.user,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except ValidationError as error:
                form.add_service_errors(_on_form_fields(error))
            else:
                messages.success(
                    request,
                    _("Redeemed: %(offer)s. Show this at %(provider)s.")
                    % {"offer": offer.title, "provider": offer.provider.name},
                )
                return redirect("credits:offers")
        return self._render(request, offer, form, status=200 if form.is_lookup else 400)

    def _render(
        self, request: HttpRequest, offer: Offer, form: RedeemForm, status: int = 200
    ) -> HttpResponse:
        context = {"offer": offer, "form": form, "staff": self.staff}
        if self.participant is not None:
            context["balance"] = _balance_of(self.participant)
        return render(request, "credits/offer_redeem.html", context, status=status)


def _on_form_fields(error: ValidationError) -> ValidationError:
    """The service names `amount` (the balance) and `offer`: on this form, both are about
    the whole, not a field."""
    return ValidationError(
        {"__all__" if k in ("amount", "offer") else k: v for k, v in error.message_dict.items()}
    )


class ReceivedView(CreditsOnRequired, NeighbourhoodRoleRequired, View):
    """What was redeemed with the user's organisations (staff: all), newest first."""

    allowed_roles = PROVIDER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        page = page_of(request, redemptions_received_by(request.user))
        context = {"page": page, "participant": current_participant(request)}
        return render(request, "credits/received.html", context)
