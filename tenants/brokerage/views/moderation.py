"""The moderation queue: ads waiting for approval, and reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from tenants.market.models import Ad, Report
from tenants.market.services.moderation import approve_ad, handle_report, reject_ad
from tijdvoorelkaar.accounts.access import StaffRequired, object_or_404

from .. import selectors
from ..forms import (
    RejectForm,
)
from .lookups import next_page


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
            approve_ad(ad=object_or_404(Ad.objects.all(), pk), by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The ad is on the site."))
        return redirect(next_page(request, "/broker/moderation/"))


class RejectAdView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ad = object_or_404(Ad.objects.all(), pk)
        form = RejectForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            reject_ad(ad=ad, by=request.user, reason=reason)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The ad was rejected."))
        return redirect(next_page(request, "/broker/moderation/"))


class HandleReportView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = object_or_404(Report.objects.select_related("ad"), pk, handled_at__isnull=True)
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
        return redirect(next_page(request, "/broker/moderation/"))
