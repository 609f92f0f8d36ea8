"""The broker's pages for referrals and group visits. Every page that shows a referral
writes an audit event (ids only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from tenants.audit import actions
from tenants.audit.services import record_audit_event
from tijdvoorelkaar.accounts.access import StaffRequired, object_or_404
from tijdvoorelkaar.pagination import page_of

from . import selectors
from .forms import GroupVisitForm, ReferralFilterForm, ReferralInForm, ReferralOutForm
from .models import Direction, GroupVisit, Referral
from .services import record_group_visit, record_referral, update_group_visit, update_referral


def _form_class(direction: str) -> type[ReferralInForm] | type[ReferralOutForm]:
    return ReferralInForm if direction == Direction.IN else ReferralOutForm


class ReferralListView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = ReferralFilterForm(request.GET)
        direction = filters.cleaned_data["direction"] if filters.is_valid() else ""
        page = page_of(request, selectors.referrals_for_list(direction=direction))
        record_audit_event(
            actor=request.user,
            action=actions.REFERRAL_LIST_VIEWED,
            detail={"ids": [referral.pk for referral in page.object_list]},
        )
        return render(request, "referrals/list.html", {"page": page, "filters": filters})


class ReferralCreateView(StaffRequired, View):
    direction: str = Direction.IN

    def _render(self, request: HttpRequest, form: object, status: int = 200) -> HttpResponse:
        return render(
            request,
            "referrals/form.html",
            {"form": form, "direction": self.direction},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"referred_on": timezone.localdate()}
        participant = request.GET.get("participant", "")
        if participant.isdecimal():
            initial["participant"] = int(participant)
        return self._render(request, _form_class(self.direction)(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = _form_class(self.direction)(request.POST)
        if form.is_lookup:
            return self._render(request, form)
        if form.is_valid():
            try:
                referral = record_referral(
                    direction=self.direction, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Referral recorded."))
                return redirect("referrals:detail", pk=referral.pk)
        return self._render(request, form, status=400)


class ReferralInCreateView(ReferralCreateView):
    direction = Direction.IN


class ReferralOutCreateView(ReferralCreateView):
    direction = Direction.OUT


def _referral(pk: int) -> Referral:
    return object_or_404(selectors.all_referrals(), pk)


class ReferralDetailView(StaffRequired, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        referral = _referral(pk)
        record_audit_event(actor=request.user, action="referral.viewed", target=referral)
        return render(request, "referrals/detail.html", {"referral": referral})


class ReferralEditView(StaffRequired, View):
    def _render(
        self, request: HttpRequest, referral: Referral, form: object, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "referrals/form.html",
            {"form": form, "referral": referral, "direction": referral.direction},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        referral = _referral(pk)
        record_audit_event(actor=request.user, action="referral.viewed", target=referral)
        form = _form_class(referral.direction)(instance=referral)
        return self._render(request, referral, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        referral = _referral(pk)
        form = _form_class(referral.direction)(request.POST, instance=Referral(pk=referral.pk))
        if form.is_lookup:
            return self._render(request, referral, form)
        if form.is_valid():
            try:
                update_referral(referral=referral, changes=form.cleaned_data, by=request.user)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Saved."))
                return redirect("referrals:detail", pk=referral.pk)
        return self._render(request, referral, form, status=400)


class GroupVisitListView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        page = page_of(request, selectors.group_visits_for_list())
        return render(request, "referrals/group_visits.html", {"page": page})


def _visit_fields(form: GroupVisitForm) -> dict[str, object]:
    data = form.cleaned_data
    return {
        "visited_on": data["visited_on"],
        "reached": data["reached"],
        "organisation": data.get("organisation"),
        "group_name": data.get("group_name", ""),
        "joined": list(data.get("joined", [])),
        "note": data.get("note", ""),
    }


class GroupVisitCreateView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = GroupVisitForm(initial={"visited_on": timezone.localdate()})
        return render(request, "referrals/group_visit_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = GroupVisitForm(request.POST)
        if form.is_lookup:
            return render(request, "referrals/group_visit_form.html", {"form": form})
        if form.is_valid():
            try:
                record_group_visit(by=request.user, **_visit_fields(form))  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Group visit recorded."))
                return redirect("referrals:group-visits")
        return render(request, "referrals/group_visit_form.html", {"form": form}, status=400)


class GroupVisitDetailView(StaffRequired, View):
    """One group visit, with its form to correct it."""

    def _visit(self, pk: int) -> GroupVisit:
        return object_or_404(selectors.all_group_visits(), pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        visit = self._visit(pk)
        return render(
            request,
            "referrals/group_visit_form.html",
            {"form": GroupVisitForm(instance=visit), "visit": visit},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        visit = self._visit(pk)
        form = GroupVisitForm(request.POST, instance=GroupVisit(pk=visit.pk))
        if form.is_lookup:
            return render(
                request, "referrals/group_visit_form.html", {"form": form, "visit": visit}
            )
        if form.is_valid():
            try:
                update_group_visit(visit=visit, by=request.user, **_visit_fields(form))  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Saved."))
                return redirect("referrals:group-visits")
        return render(
            request,
            "referrals/group_visit_form.html",
            {"form": form, "visit": visit},
            status=400,
        )
