"""The broker's pages of the social map: list, create, edit, (de)activate, members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from tenants.audit.services import record_audit_event
from tenants.people.models import Participant
from tijdvoorelkaar.accounts.access import StaffRequired, object_or_404
from tijdvoorelkaar.pagination import page_of

from . import selectors
from .forms import OrganisationFilterForm, OrganisationForm
from .models import Organisation
from .services import (
    add_organisation_member,
    create_organisation,
    remove_organisation_member,
    set_organisation_active,
    update_organisation,
)


def _organisation(pk: int) -> Organisation:
    return object_or_404(selectors.all_organisations(), pk)


class OrganisationListView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = OrganisationFilterForm(request.GET)
        values = filters.cleaned_data if filters.is_valid() else {}
        organisations = selectors.organisations_for_list(
            query=values.get("q", ""),
            kind=values.get("kind", ""),
            include_inactive=values.get("inactive", False),
        )
        page = page_of(request, organisations)
        return render(request, "organisations/list.html", {"page": page, "filters": filters})


class OrganisationCreateView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "organisations/form.html", {"form": OrganisationForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OrganisationForm(request.POST)
        if form.is_valid():
            try:
                organisation = create_organisation(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Organisation added."))
                return redirect("organisations:detail", pk=organisation.pk)
        return render(request, "organisations/form.html", {"form": form}, status=400)


class OrganisationDetailView(StaffRequired, View):
    """Its contact person, vacancies, placements and members. Shows contact data: audited."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        organisation = _organisation(pk)
        query = request.GET.get("member_q", "")
        record_audit_event(actor=request.user, action="organisation.viewed", target=organisation)
        return render(
            request,
            "organisations/detail.html",
            {
                "organisation": organisation,
                **selectors.organisation_page(organisation),
                "members": selectors.members_of(organisation),
                "member_query": query,
                "candidates": selectors.member_candidates(organisation=organisation, query=query),
            },
        )


class OrganisationEditView(StaffRequired, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        organisation = _organisation(pk)
        form = OrganisationForm(instance=organisation)  # shows the contact details: recorded
        record_audit_event(
            actor=request.user,
            action="organisation.viewed",
            target=organisation,
            detail={"page": "edit"},
        )
        return render(
            request, "organisations/form.html", {"form": form, "organisation": organisation}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        organisation = _organisation(pk)
        form = OrganisationForm(request.POST, instance=_organisation(pk))
        if form.is_valid():
            try:
                update_organisation(
                    organisation=organisation, changes=form.cleaned_data, by=request.user
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Saved."))
                return redirect("organisations:detail", pk=organisation.pk)
        return render(
            request,
            "organisations/form.html",
            {"form": form, "organisation": organisation},
            status=400,
        )


class OrganisationActiveView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        organisation = _organisation(pk)
        active = request.POST.get("active") == "1"
        set_organisation_active(organisation=organisation, active=active, by=request.user)
        messages.success(
            request,
            _("The organisation is active again.")
            if active
            else _("The organisation was deactivated."),
        )
        return redirect("organisations:detail", pk=organisation.pk)


class OrganisationMembersView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        organisation = _organisation(pk)
        participant = object_or_404(
            Participant.objects.filter(erased_at__isnull=True), request.POST.get("participant", "")
        )
        try:
            add_organisation_member(
                organisation=organisation, participant=participant, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s is now a member.") % {"name": participant})
        return redirect("organisations:detail", pk=organisation.pk)


class OrganisationMemberRemoveView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
        organisation = _organisation(pk)
        participant = object_or_404(organisation.members.all(), participant_pk)
        remove_organisation_member(
            organisation=organisation, participant=participant, by=request.user
        )
        messages.success(request, _("%(name)s is no longer a member.") % {"name": participant})
        return redirect("organisations:detail", pk=organisation.pk)
