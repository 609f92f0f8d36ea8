"""Outreach pages: the broker's printables (poster, postcard), the digest choice on the
resident's own page and by the broker, and the one-click stop link of the digest mail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from tenants.people.models import Participant
from tenants.people.sessions import current_participant
from tijdvoorelkaar.accounts.access import StaffRequired, object_or_404

from .digest import participant_for_token, preference_of, set_digest_preference, stop_digest
from .forms import DigestForm, PrintableForm
from .printables import postcard_pdf, poster_pdf


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PrintablesView(StaffRequired, View):
    """The page to download the poster (A4, A3) and the postcard, in Dutch or English."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PrintableForm(initial={"language": request.LANGUAGE_CODE[:2], "size": "A4"})
        return render(request, "outreach/printables.html", {"form": form})


class PrintableDownload(StaffRequired, View):
    kind = "poster"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PrintableForm(request.GET)
        if not form.is_valid():
            return render(request, "outreach/printables.html", {"form": form}, status=400)
        language = form.cleaned_data["language"]
        slug = connection.tenant.slug
        if self.kind == "postcard":
            data = postcard_pdf(neighbourhood=connection.tenant, language=language)
            return pdf_response(data, f"{slug}-postcard-{language}.pdf")
        size = form.cleaned_data.get("size") or "A4"
        data = poster_pdf(neighbourhood=connection.tenant, language=language, size=size)
        return pdf_response(data, f"{slug}-poster-{size}-{language}.pdf")


def _digest_page(
    request: HttpRequest,
    participant: Participant,
    form: DigestForm,
    *,
    staff: bool,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "participant": participant, "staff": staff}
    return render(request, "outreach/digest.html", context, status=status)


def _initial(participant: Participant) -> dict[str, object]:
    preference = preference_of(participant)  # the ids of what is gone have no box to tick
    return {
        "frequency": preference.frequency,
        "sub_areas": preference.sub_area_ids,
        "categories": preference.category_ids,
    }


class DigestChoiceMixin:
    staff = False

    def participant(self, request: HttpRequest, **kwargs: object) -> Participant | None:
        raise NotImplementedError

    def done(self, participant: Participant) -> HttpResponse:
        raise NotImplementedError

    def get(self, request: HttpRequest, **kwargs: object) -> HttpResponse:
        participant = self.participant(request, **kwargs)
        if participant is None:
            return redirect("market:sign-in")
        form = DigestForm(initial=_initial(participant))
        return _digest_page(request, participant, form, staff=self.staff)

    def post(self, request: HttpRequest, **kwargs: object) -> HttpResponse:
        participant = self.participant(request, **kwargs)
        if participant is None:
            return redirect("market:sign-in")
        form = DigestForm(request.POST)
        if form.is_valid():
            try:
                set_digest_preference(participant=participant, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("Your choice for the digest is saved.") if not self.staff else _("Saved."),
                )
                return self.done(participant)
        return _digest_page(request, participant, form, staff=self.staff, status=400)


class MyDigestView(DigestChoiceMixin, View):
    """The resident's own choice (signed in by a link or an account)."""

    def participant(self, request: HttpRequest, **kwargs: object) -> Participant | None:
        return current_participant(request)

    def done(self, participant: Participant) -> HttpResponse:
        return redirect("outreach:my-digest")


class ParticipantDigestView(StaffRequired, DigestChoiceMixin, View):
    """The broker sets it for someone (who asked in person or on paper)."""

    staff = True

    def participant(self, request: HttpRequest, **kwargs: object) -> Participant | None:
        return object_or_404(Participant.objects.filter(erased_at__isnull=True), kwargs["pk"])

    def done(self, participant: Participant) -> HttpResponse:
        return redirect("outreach:participant-digest", pk=participant.pk)


@method_decorator(csrf_exempt, name="dispatch")  # the mail's link: no session, no form
class StopDigestView(View):
    """One click, no login: the signed link sets this person's digest to never (GET from the
    mail, or POST as a mail program's one-click unsubscribe). A forged link does nothing."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        participant = participant_for_token(token)
        if participant is None:
            return render(request, "outreach/digest_stopped.html", {"valid": False}, status=400)
        stop_digest(participant=participant)
        return render(request, "outreach/digest_stopped.html", {"valid": True})

    post = get
