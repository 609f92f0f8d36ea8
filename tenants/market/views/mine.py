"""A participant's own ads (signed in by a mailed link, no account needed): change, renew,
close; the page that mails a new sign-in link; signing out; the personal page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from tenants.people.services.links import LinkProblem
from tenants.people.sessions import (
    SESSION_KEY,
    current_participant,
    sign_in_participant,
    sign_out_participant,
)

from ..cards import ad_cards, card_rows, own_ad_rows
from ..forms import EditAdForm, EmailForm, ProfileForm, ad_form_initial
from ..limits import over_limit
from ..models import Ad
from ..selectors import own_ad, own_ads_page, person_ads, public_person
from ..services.ads import close_ad, renew_ad, update_ad
from ..services.links import send_sign_in_link, sign_in_by_link
from ..services.profiles import update_profile
from .common import too_many

SIGN_IN_SESSION_KEY = "market_sign_in"


class ParticipantPage(View):
    """A page for the signed-in participant; anyone else is sent to the sign-in page."""

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        self.participant = current_participant(request)
        if self.participant is None:
            return redirect("market:sign-in")
        return super().dispatch(request, *args, **kwargs)

    def own(self, pk: int) -> Ad:
        ad = own_ad(participant=self.participant, pk=pk)
        if ad is None:
            raise Http404
        return ad


class MyAdsView(View):
    """The resident's own ads. Someone signed in by a link (the usual way) is read with
    their ads and organisations in one statement (`selectors.own_ads_page`), not first on
    their own as `current_participant` would."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:  # `current_participant`'s first way
            participant = current_participant(request)
            participant_id = participant.pk if participant is not None else None
        else:
            participant_id = request.session.get(SESSION_KEY)
        credits = request.neighbourhood.credits_enabled  # type: ignore[attr-defined]
        page = (
            own_ads_page(participant_id=participant_id, organisations=credits)
            if participant_id is not None
            else None
        )
        if page is None:
            return redirect("market:sign-in")
        page["ads"] = own_ad_rows(page["ads"])
        return render(request, "market/mine.html", page)


class EditAdView(ParticipantPage):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        ad = self.own(pk)
        form = EditAdForm(initial=ad_form_initial(ad))
        return render(request, "market/edit.html", {"ad": ad, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ad = self.own(pk)
        form = EditAdForm(request.POST, request.FILES)
        if form.is_valid():
            changes = dict(form.cleaned_data)
            if not changes.get("photo"):
                changes.pop("photo", None)
            try:
                update_ad(ad=ad, **changes)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Your ad was changed."))
                return redirect("market:mine")
        return render(request, "market/edit.html", {"ad": ad, "form": form}, status=400)


class RenewAdView(ParticipantPage):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            renew_ad(ad=self.own(pk))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your ad runs again for the full period."))
        return redirect("market:mine")


class CloseAdView(ParticipantPage):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        close_ad(ad=self.own(pk))
        messages.success(request, _("Your ad is off the site."))
        return redirect("market:mine")


class SignInView(View):
    """Ask for a sign-in link; the answer never says whether the address is known."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "market/sign_in.html", {"form": EmailForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        if over_limit(request, "links", email=request.POST.get("email", "")):
            return too_many(request)
        form = EmailForm(request.POST)
        if not form.is_valid():
            return render(request, "market/sign_in.html", {"form": form}, status=400)
        send_sign_in_link(email=form.cleaned_data["email"])
        return render(request, "market/sign_in_sent.html")


class SignInLinkView(View):
    """The sign-in link from the mail: the token moves into the session, then one button."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        request.session[SIGN_IN_SESSION_KEY] = token
        return redirect("market:sign-in-confirm")


class SignInConfirmView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.session.get(SIGN_IN_SESSION_KEY):
            return redirect("market:sign-in")
        return render(request, "market/sign_in_confirm.html")

    def post(self, request: HttpRequest) -> HttpResponse:
        token = request.session.pop(SIGN_IN_SESSION_KEY, "")
        try:
            link = sign_in_by_link(token=token)
        except LinkProblem as problem:
            return render(
                request,
                "market/link_problem.html",
                {"reason": problem.reason, "form": EmailForm()},
                status=410 if problem.reason in ("expired", "used") else 404,
            )
        sign_in_participant(request, link.participant)
        messages.success(request, _("You are signed in."))
        return redirect("market:mine")


class SignOutView(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        sign_out_participant(request)
        messages.success(request, _("You are signed out."))
        return redirect("home:home")


class PersonView(View):
    """A participant's personal page: public fields and published ads only."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        viewer = current_participant(request)
        person = public_person(pk=pk, viewer=viewer)
        if person is None:
            raise Http404
        own = viewer is not None and viewer.pk == person.pk
        return render(
            request,
            "market/person.html",
            {
                "person": person,
                "cards": ad_cards(card_rows(person_ads(participant=person))[:50]),
                "own": own,
            },
        )


class ProfileView(ParticipantPage):
    """The participant edits their own public face."""

    def get(self, request: HttpRequest) -> HttpResponse:
        p = self.participant
        form = ProfileForm(
            initial={
                "display_name": p.display_name,
                "sub_area": p.sub_area_id,
                "introduction": p.introduction,
            }
        )
        return render(request, "market/profile.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                update_profile(participant=self.participant, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Your page was saved."))
                return redirect("market:person", pk=self.participant.pk)
        return render(request, "market/profile.html", {"form": form}, status=400)
