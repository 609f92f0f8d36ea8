"""Public pages for responding to an ad, the owner's reply and reporting an ad.

They are open to anyone (no account is needed to respond or report): each is listed in
tests/isolation/test_view_access.py with its reason. Abuse is held off by a honeypot field
and rate limits per IP address and per e-mail address or phone number.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views import View

from tenants.market.limits import HONEYPOT_FIELD, address_limited, ip_limited
from tenants.market.models import LIVE, Ad
from tenants.people.sessions import current_participant
from tijdvoorelkaar.accounts.access import object_or_404

from ..forms import ReplyForm, ReportForm, RespondForm
from ..selectors import response_for_reply_token
from ..services.replies import reply_to_response
from ..services.reports import report_ad
from ..services.responses import OwnAd, respond_to_ad

REPORTED_SESSION_KEY = "market_reported_ads"


def published_ad(pk: int) -> Ad:
    """A published ad, or 404 (closed, waiting and unknown ads alike)."""
    return object_or_404(Ad.objects.select_related("participant").filter(LIVE), pk)


def place_ad_url() -> str:
    return reverse("market:new")


def ad_url(ad: Ad) -> str:
    return reverse("market:detail", args=[ad.pk])


def _too_many(request: HttpRequest, ad: Ad) -> HttpResponse:
    return render(request, "responding/respond_limited.html", {"ad": ad}, status=429)


class RespondView(View):
    """/ads/<pk>/respond/: name, e-mail address or phone, message."""

    template_name = "responding/respond.html"

    def _context(self, request: HttpRequest, ad: Ad, form: RespondForm) -> dict:
        return {
            "ad": ad,
            "form": form,
            "honeypot": HONEYPOT_FIELD,
            "ad_url": ad_url(ad),
            "signed_in": current_participant(request),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        ad = published_ad(pk)
        participant = current_participant(request)
        if participant is not None and participant.pk == ad.participant_id:
            return render(request, "responding/respond_own_ad.html", {"ad": ad}, status=403)
        form = RespondForm(signed_in=participant is not None)
        return render(request, self.template_name, self._context(request, ad, form))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ad = published_ad(pk)
        participant = current_participant(request)
        if participant is not None and participant.pk == ad.participant_id:
            return render(request, "responding/respond_own_ad.html", {"ad": ad}, status=403)
        if ip_limited(request, "respond"):
            return _too_many(request, ad)
        form = RespondForm(request.POST, signed_in=participant is not None)
        if form.is_valid():
            data = form.cleaned_data
            if participant is None and address_limited(
                request, "respond", email=data["email"], phone=data["phone"]
            ):
                return _too_many(request, ad)
            if form.honeypot_filled():  # a bot: pretend it worked, store nothing
                return redirect("responding:responded", pk=ad.pk)
            try:
                respond_to_ad(
                    ad=ad,
                    display_name=data.get("display_name", ""),
                    email=data.get("email", ""),
                    phone=data.get("phone", ""),
                    message=data["message"],
                    signed_in=participant,
                    language=translation.get_language() or "",
                )
            except OwnAd:
                # Someone typed the owner's own address: say nothing that confirms whose
                # address it is, as for a bot.
                return redirect("responding:responded", pk=ad.pk)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return redirect("responding:responded", pk=ad.pk)
        return render(request, self.template_name, self._context(request, ad, form), status=400)


class RespondedView(View):
    """The confirmation after responding: the message was passed on."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        ad = published_ad(pk)
        return render(
            request,
            "responding/respond_sent.html",
            {"ad": ad, "ad_url": ad_url(ad), "place_url": place_ad_url()},
        )


class ReplyView(View):
    """/responses/<token>/reply/: the ad's owner answers a response (from the relayed mail).
    After replying, the same link shows what was passed on and the responder's address."""

    template_name = "responding/reply.html"

    def _load(self, token: str):  # type: ignore[no-untyped-def]
        response = response_for_reply_token(token)
        if response is None or response.held_for_broker:
            return None
        return response

    def _form(self, response, data=None) -> ReplyForm:  # type: ignore[no-untyped-def]
        owner = response.ad.participant
        return ReplyForm(data, has_email=bool(owner.email), has_phone=bool(owner.phone))

    def _render(self, request, response, form, status=200) -> HttpResponse:  # type: ignore[no-untyped-def]
        return render(
            request, self.template_name, {"response": response, "form": form}, status=status
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        response = self._load(token)
        if response is None:
            return render(request, "responding/reply_invalid.html", status=404)
        return self._render(request, response, self._form(response))

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        response = self._load(token)
        if response is None:
            return render(request, "responding/reply_invalid.html", status=404)
        if response.owner_replied_at is not None:
            return redirect("responding:reply", token=token)
        form = self._form(response, request.POST)
        if form.is_valid():
            try:
                reply_to_response(
                    response=response,
                    message=form.cleaned_data["message"],
                    share_email=form.cleaned_data.get("share_email", False),
                    share_phone=form.cleaned_data.get("share_phone", False),
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return redirect("responding:reply", token=token)
        return self._render(request, response, form, status=400)


class ReportView(View):
    """/ads/<pk>/report/: why this ad does not belong here."""

    template_name = "responding/report.html"

    def _context(self, ad: Ad, form: ReportForm) -> dict:
        return {"ad": ad, "form": form, "honeypot": HONEYPOT_FIELD, "ad_url": ad_url(ad)}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        ad = published_ad(pk)
        return render(request, self.template_name, self._context(ad, ReportForm()))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ad = published_ad(pk)
        if ip_limited(request, "report"):
            return render(request, "responding/report_limited.html", {"ad": ad}, status=429)
        form = ReportForm(request.POST)
        if form.is_valid():
            reported = request.session.get(REPORTED_SESSION_KEY, [])
            if form.honeypot_filled() or ad.pk in reported:
                return redirect("responding:reported", pk=ad.pk)  # harmless: stored once
            try:
                report_ad(ad=ad, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                request.session[REPORTED_SESSION_KEY] = [*reported, ad.pk][-50:]
                return redirect("responding:reported", pk=ad.pk)
        return render(request, self.template_name, self._context(ad, form), status=400)


class ReportedView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        ad = published_ad(pk)
        return render(request, "responding/report_sent.html", {"ad": ad, "ad_url": ad_url(ad)})
