"""The broker's mediation pages under /broker/mediations/ (staff only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from tenants.audit.services import record_audit_event
from tenants.market.models import Ad, AdKind, AdStatus
from tijdvoorelkaar.accounts.access import StaffRequired, local_next, object_or_404
from tijdvoorelkaar.pagination import page_of

from . import selectors, services
from .forms import (
    EndPlacementForm,
    FollowUpDoneForm,
    MediationFilterForm,
    MediationForm,
    PlacementForm,
    StatusForm,
)
from .models import Mediation


class MediationListView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = MediationFilterForm(request.GET or None)
        page = page_of(request, selectors.mediations_for_list(**filters.filters()))
        return render(
            request,
            "mediations/list.html",
            {"filters": filters, "page": page},
        )


class MediationCreateView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {
            name: request.GET[name]
            for name in ("requester", "provider", "organisation")
            if request.GET.get(name, "").isdecimal()
        }
        form = MediationForm(initial=initial)
        if "ads" in request.GET:
            form.initial["ads"] = [pk for pk in request.GET.getlist("ads") if pk.isdecimal()]
        return render(request, "mediations/form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = MediationForm(request.POST)
        if form.is_lookup:  # "Check", "Find" or "Show their ads": only show the form again
            return render(request, "mediations/form.html", {"form": form})
        if form.is_valid():
            data = form.cleaned_data
            try:
                mediation = services.start_mediation(
                    requester=data["requester"],
                    provider=data["provider"],
                    organisation=data["organisation"],
                    ads=data["ads"],
                    active=True,
                    started_on=data["started_on"],
                    created_by=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The mediation was recorded."))
                return redirect("mediations:detail", pk=mediation.pk)
        return render(request, "mediations/form.html", {"form": form}, status=400)


class MediationDetailView(StaffRequired, View):
    def _mediation(self, pk: int) -> Mediation:
        return object_or_404(selectors.mediation_detail(), pk)

    def _render(
        self,
        request: HttpRequest,
        mediation: Mediation,
        status_form: StatusForm | None = None,
        code: int = 200,
    ) -> HttpResponse:
        # The page shows the follow-up notes and the reason: staff reads are recorded.
        record_audit_event(actor=request.user, action="mediation.viewed", target=mediation)
        return render(
            request,
            "mediations/detail.html",
            {
                "mediation": mediation,
                "status_form": status_form or StatusForm(current=mediation.status),
                "done_form": FollowUpDoneForm(),
                "today": timezone.localdate(),
            },
            status=code,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self._mediation(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        mediation = self._mediation(pk)
        if request.POST.get("action") == "support":
            try:
                services.mark_mediation_supported(mediation=mediation, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The mediation is now marked as supported."))
            return redirect("mediations:detail", pk=mediation.pk)
        form = StatusForm(request.POST, current=mediation.status)
        if form.is_valid():
            try:
                services.set_mediation_status(
                    mediation=mediation,
                    status=form.cleaned_data["status"],
                    ended_on=form.cleaned_data["ended_on"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The status was changed."))
                return redirect("mediations:detail", pk=mediation.pk)
        return self._render(request, mediation, form, 400)


class FollowUpsDueView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        """Due today or earlier; with `?until=week`, also the coming week (as the dashboard)."""
        today = timezone.localdate()
        week = request.GET.get("until") == "week"
        until = today + selectors.FOLLOW_UP_HORIZON if week else today
        page = page_of(request, selectors.due_follow_ups(until))
        return render(
            request,
            "mediations/follow_ups.html",
            {
                "page": page,
                "today": today,
                "week": week,
                "until": until,
                "done_form": FollowUpDoneForm(),
            },
        )


class FollowUpDoneView(StaffRequired, View):
    def _follow_up(self, pk: int) -> Any:
        return object_or_404(selectors.open_follow_ups().select_related("mediation__requester"), pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        follow_up = self._follow_up(pk)
        return render(
            request,
            "mediations/follow_up_done.html",
            {"follow_up": follow_up, "form": FollowUpDoneForm()},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        follow_up = self._follow_up(pk)
        form = FollowUpDoneForm(request.POST)
        if form.is_valid():
            try:
                services.complete_follow_up(
                    follow_up=follow_up, by=request.user, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The follow-up is done."))
                detail = reverse("mediations:detail", args=[follow_up.mediation_id])
                return redirect(local_next(request, detail))
        return render(
            request,
            "mediations/follow_up_done.html",
            {"follow_up": follow_up, "form": form},
            status=400,
        )


class SuggestView(StaffRequired, View):
    """Offers that fit a request (or requests that fit an offer), best first, with why."""

    def get(self, request: HttpRequest) -> HttpResponse:
        ad_id = request.GET.get("ad", "")
        participant_id = request.GET.get("participant", "")
        context: dict[str, Any] = {"ad": None, "suggestions": [], "participant": None}
        if participant_id:  # from their page: their requests stay listed while you pick
            participant = object_or_404(selectors.active_participants(), participant_id)
            context["participant"] = participant
            context["requests"] = list(
                selectors.open_ads_of(participant_ids=[participant.pk]).filter(kind=AdKind.REQUEST)
            )
        if ad_id.isdecimal():
            ad = (
                Ad.objects.select_related("participant", "category", "sub_area")
                .filter(kind__in=[AdKind.REQUEST, AdKind.OFFER], participant__erased_at=None)
                .exclude(status=AdStatus.REJECTED)
                .filter(pk=int(ad_id))
                .first()
            )
            if ad is None:
                raise Http404
            suggestions = selectors.match_suggestions(ad=ad)
            context.update(
                ad=ad,
                suggestions=suggestions,
                participants=selectors.best_participants(suggestions),
            )
        return render(request, "mediations/suggest.html", context)


class PlacementListView(StaffRequired, View):
    def _render(self, request: HttpRequest, form: PlacementForm, code: int = 200) -> HttpResponse:
        current_only = request.GET.get("current") == "1"
        page = page_of(request, selectors.placements_for_list(current_only=current_only))
        return render(
            request,
            "mediations/placements.html",
            {
                "page": page,
                "form": form,
                "current_only": current_only,
            },
            status=code,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, PlacementForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PlacementForm(request.POST)
        if form.is_lookup:
            return self._render(request, form)
        if form.is_valid():
            try:
                services.record_placement(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The placement was recorded."))
                return redirect("mediations:placements")
        return self._render(request, form, 400)


class PlacementEndView(StaffRequired, View):
    def _placement(self, pk: int) -> Any:
        return object_or_404(selectors.placements_for_list(current_only=True), pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(
            request,
            "mediations/placement_end.html",
            {"placement": self._placement(pk), "form": EndPlacementForm()},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        placement = self._placement(pk)
        form = EndPlacementForm(request.POST)
        if form.is_valid():
            try:
                services.end_placement(
                    placement=placement, ended_on=form.cleaned_data["ended_on"], by=request.user
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The placement has ended."))
                return redirect("mediations:placements")
        return render(
            request,
            "mediations/placement_end.html",
            {"placement": placement, "form": form},
            status=400,
        )
