"""Ads the broker places, edits, renews and closes on someone's behalf."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from tenants.market.forms import ad_form_initial
from tenants.market.models import Ad
from tenants.market.services.ads import close_ad, place_ad, renew_ad, update_ad
from tijdvoorelkaar.accounts.access import StaffRequired, object_or_404

from ..forms import (
    BrokerAdEditForm,
    BrokerAdForm,
)
from .lookups import participant_or_404


class BrokerAdNewView(StaffRequired, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = participant_or_404(pk)
        form = BrokerAdForm(
            initial={"sub_area": participant.sub_area_id},
            organisations=participant.organisations.filter(is_active=True),
        )
        return render(request, "brokerage/ad_form.html", {"participant": participant, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = participant_or_404(pk)
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
    return object_or_404(
        Ad.objects.select_related("participant", "category"),
        pk,
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
        form = BrokerAdEditForm(initial=ad_form_initial(ad))
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
