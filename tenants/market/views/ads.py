"""The public marketplace: list and search, one ad, placing an ad without an account, and
the confirmation link (which also signs the owner in) followed by the reciprocity question."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import View

from tenants.people.services.links import LinkProblem
from tenants.people.sessions import current_participant, sign_in_participant

from ..cache import cached_empty_search_form, cached_filter_options, cached_page
from ..cards import ad_cards
from ..forms import EmailForm, PlaceAdForm, SearchForm
from ..limits import HONEYPOT_FIELD, count_placed, placing_limited
from ..listing import list_page
from ..models import Ad, AdKind, AdStatus, ReciprocityPrompt
from ..selectors import ad_for_visitor
from ..services.placing import (
    OPPOSITE_KIND,
    confirm_ad_by_link,
    moderated_first,
    record_reciprocity_prompt,
    submit_ad,
)
from ..suggestions import suggested_sub_area
from .common import int_or_none

LINK_SESSION_KEY = "market_link"
# What the form passes on to `submit_ad` (the contact fields only when not signed in).
PLACED_FIELDS = (
    "kind", "title", "body", "category", "sub_area", "when", "photo", "publish_anyway"
)  # fmt: skip
CONTACT_FIELDS = ("display_name", "email", "phone")


class AdListView(View):
    """Published ads: search (Dutch and English), filters, pages; newest first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return cached_page(request, lambda extra: self.render_page(request, extra))

    def render_page(self, request: HttpRequest, extra: dict[str, str]) -> HttpResponse:
        kept = {k: v for k, v in request.GET.items() if k != "page" and v}
        if request.GET:
            form = _search_form(request.GET)
            filters = form.cleaned_data if form.is_valid() else {}
            search_form = _search_form_html(form, filtered=bool(kept))
        else:
            filters = {}
            search_form = cached_empty_search_form(
                lambda: _search_form_html(_search_form(None), filtered=False)
            )
        page = list_page(request, filters)
        return render(
            request,
            "market/list.html",
            {
                "search_form": search_form,
                "page": page,
                "cards": ad_cards(page.object_list),  # read here, not while rendering
                **extra,
            },
        )


def _search_form(data: object) -> SearchForm:
    categories, sub_areas = cached_filter_options()
    return SearchForm(data, categories=categories, sub_areas=sub_areas)


def _search_form_html(form: SearchForm, *, filtered: bool) -> str:
    """The filter form alone: it needs no request (no CSRF token, no context processors)."""
    return render_to_string("market/search_form.html", {"form": form, "filtered": filtered})


class AdDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = current_participant(request)
        ad = ad_for_visitor(pk=pk, participant=participant)
        if ad is None:
            raise Http404
        own = participant is not None and ad.participant_id == participant.pk
        return render(request, "market/detail.html", {"ad": ad, "own": own})


def _prompt_for(request: HttpRequest, participant: object) -> ReciprocityPrompt | None:
    """The reciprocity prompt named by ?after= (or the form), if it is the visitor's own."""
    prompt_id = int_or_none(request.POST.get("after") or request.GET.get("after"))
    if prompt_id is None or participant is None:
        return None
    return (
        ReciprocityPrompt.objects.select_related("source_ad")
        .filter(pk=prompt_id, source_ad__participant=participant, taken_ad__isnull=True)
        .first()
    )


class PlaceAdView(View):
    """Place a request or offer: no account, no intake. Signed-in participants skip the
    contact details; organisation members may place a vacancy."""

    def _form(self, request: HttpRequest, **kwargs: object) -> PlaceAdForm:
        participant = current_participant(request)
        organisations = participant.organisations.filter(is_active=True) if participant else None
        if organisations is not None and not organisations.exists():
            organisations = None
        return PlaceAdForm(participant=participant, organisations=organisations, **kwargs)

    def _render(self, request: HttpRequest, form: PlaceAdForm, prompt: object, status: int = 200):
        context = {"form": form, "prompt": prompt, "honeypot": HONEYPOT_FIELD}
        return render(request, "market/place.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        participant = current_participant(request)
        prompt = _prompt_for(request, participant)
        # The person's earlier choice of sub-area, when we know them (editable).
        initial: dict[str, object] = {
            "kind": AdKind.REQUEST,
            "sub_area": suggested_sub_area(participant),
        }
        if prompt is not None:
            initial = {
                "kind": OPPOSITE_KIND[AdKind(prompt.source_ad.kind)],
                "sub_area": prompt.source_ad.sub_area_id,
            }
        elif request.GET.get("kind") in (AdKind.REQUEST, AdKind.OFFER):
            initial["kind"] = request.GET["kind"]
        return self._render(request, self._form(request, initial=initial), prompt)

    def post(self, request: HttpRequest) -> HttpResponse:
        participant = current_participant(request)
        form = self._form(request, data=request.POST, files=request.FILES)
        if form.honeypot_filled():
            return redirect("/ads/placed/?by=mail")  # pretend all went well; store nothing
        prompt = _prompt_for(request, participant)
        if placing_limited(request, participant, request.POST):
            form.is_valid()  # the form comes back with everything typed, and says why
            form.add_error(
                None,
                _(
                    "You have placed several ads this hour. What you typed is kept below: "
                    "try again in an hour, or call the broker."
                ),
            )
            return self._render(request, form, prompt, status=429)
        if not form.is_valid():
            return self._render(request, form, prompt, status=400)
        try:
            ad = submit_ad(
                signed_in=participant,
                language=request.LANGUAGE_CODE,
                prompt=prompt,
                organisation=form.cleaned_data.get("organisation"),
                **{name: form.cleaned_data[name] for name in PLACED_FIELDS},
                **{name: form.cleaned_data[name] for name in CONTACT_FIELDS if name in form.fields},
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self._render(request, form, prompt, status=400)
        count_placed(request, participant, request.POST)
        if ad.status == AdStatus.PUBLISHED:
            messages.success(request, _("Your ad is on the site."))
            return redirect("market:detail", pk=ad.pk)
        if ad.status == AdStatus.UNCONFIRMED:
            return redirect("/ads/placed/?by=mail")
        if participant is not None:
            messages.success(request, _("Thank you. The broker will look at your ad first."))
            return redirect("market:mine")
        return redirect("/ads/placed/?by=phone")


class PlacedView(View):
    """After placing: "check your mail", or "the broker will call you"; and, where the broker
    checks every ad first, that they will."""

    def get(self, request: HttpRequest) -> HttpResponse:
        by_phone = request.GET.get("by") == "phone"
        context = {"by_phone": by_phone, "moderated": moderated_first()}
        return render(request, "market/placed.html", context)


class ConfirmLinkView(View):
    """The link from the mail. Its token moves into the session at once (so it is in no later
    URL or log line) and the visitor presses one button: a mail scanner that opens links does
    not use it up."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        request.session[LINK_SESSION_KEY] = token
        return redirect("market:confirm")


class ConfirmView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.session.get(LINK_SESSION_KEY):
            return _link_problem(request, "unknown")
        return render(request, "market/confirm.html")

    def post(self, request: HttpRequest) -> HttpResponse:
        token = request.session.pop(LINK_SESSION_KEY, "")
        try:
            with transaction.atomic():
                ad = confirm_ad_by_link(token=token)
        except LinkProblem as problem:
            return _link_problem(request, problem.reason)
        except Ad.DoesNotExist:
            return _link_problem(request, "unknown")
        sign_in_participant(request, ad.participant)
        return redirect("market:confirmed", pk=ad.pk)


def _link_problem(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request,
        "market/link_problem.html",
        {"reason": reason, "form": EmailForm()},
        status=410 if reason in ("expired", "used") else 404,
    )


class ConfirmedView(View):
    """The ad is confirmed: say what happens now, and ask the reciprocity question."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = current_participant(request)
        ad = ad_for_visitor(pk=pk, participant=participant)
        if ad is None or participant is None or ad.participant_id != participant.pk:
            raise Http404
        prompt = record_reciprocity_prompt(source_ad=ad)
        if prompt is not None and prompt.taken_ad_id is not None:
            prompt = None
        return render(request, "market/confirmed.html", {"ad": ad, "prompt": prompt})
