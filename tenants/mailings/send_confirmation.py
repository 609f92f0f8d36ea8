"""The step between "Save and send now" and the mailing: the broker sees how many
subscribers get the issue, in which languages, and sends it or goes back to editing. (The API
sends at once: its clients say explicitly what they want.)"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language_info
from django.views import View

from tijdvoorelkaar.accounts.access import StaffRequired

from . import services
from .views import newsletter_or_404


def _audience() -> tuple[int, list[tuple[str, int]]]:
    """Everyone a mailing started now reaches, and per language (named in the page's language),
    most first."""
    per_language = services.newsletter_audience()
    counted = sorted(per_language.items(), key=lambda item: -item[1])
    named = [(str(get_language_info(code)["name_translated"]), n) for code, n in counted]
    return sum(per_language.values()), named


class NewsletterSendView(StaffRequired, View):
    """The step between "Save and send now" and the mailing: who will get it, then send."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = newsletter_or_404(pk)
        if not newsletter.is_editable:
            return redirect("mailings:mailing", pk=newsletter.pk)
        total, languages = _audience()
        context = {"newsletter": newsletter, "total": total, "languages": languages}
        return render(request, "mailings/confirm_send.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = newsletter_or_404(pk)
        if newsletter.is_editable:
            try:
                services.schedule_newsletter(newsletter=newsletter, at=None, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("mailings:edit", pk=newsletter.pk)
        return redirect("mailings:mailing", pk=newsletter.pk)
