"""The broker's participant pages: list and search, register, the participant's timeline page,
edit, consents, self-reported profile, notes, certificates of conduct, held messages, export
and erasure. Staff (brokers and admins) only; every read of contact details or notes is
recorded in the audit log."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from tenants.audit import actions
from tenants.audit.services import Event, record_audit_event, record_audit_events
from tijdvoorelkaar.accounts.access import StaffRequired
from tijdvoorelkaar.pagination import page_of

from . import participant_page, selectors
from .forms import (
    CertificateForm,
    ConsentForm,
    EraseForm,
    NoteForm,
    ParticipantForm,
    ProfileForm,
    RegisterParticipantForm,
    SearchForm,
)
from .models import ConsentTopic, HeldMessage, Note, Participant
from .services.consents import give_consent, update_profile, withdraw_consent
from .services.messages import mark_held_message_handled
from .services.privacy import erase_participant, export_participant_data
from .services.records import add_note, edit_note, record_conduct_certificate
from .services.registration import DuplicateParticipants, enrol_participant, update_participant


def get_participant(pk: int) -> Participant:
    try:
        return selectors.participant_for_staff(pk)
    except Participant.DoesNotExist as error:
        raise Http404 from error


def _saved(
    form: ParticipantForm, save: Callable[[], Participant]
) -> tuple[Participant | None, list[Participant]]:
    """Run `save` (register or update someone): the participant, or None with the refusal on
    the form and the possible duplicates to show beside the box that confirms it is not one."""
    try:
        return save(), []
    except DuplicateParticipants as error:
        form.add_service_errors(error)
        form.allow_confirm()
        return None, error.duplicates
    except ValidationError as error:
        form.add_service_errors(error)
        return None, []


class ParticipantListView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = SearchForm(request.GET)
        search = form.cleaned_data["q"] if form.is_valid() else ""
        page = page_of(request, selectors.participants(search=search))
        # The list shows e-mail addresses and phone numbers: whose, is recorded.
        record_audit_event(
            actor=request.user,
            action=actions.PARTICIPANT_LIST_VIEWED,
            detail={
                "page": page.number,
                "searched": bool(search),
                "participants": [p.pk for p in page],
            },
        )
        return render(
            request,
            "people/participant_list.html",
            {"page": page, "form": form, "search": search, "today": timezone.localdate()},
        )


class ParticipantRegisterView(StaffRequired, View):
    template = "people/participant_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = RegisterParticipantForm(initial={"preferred_language": "nl"})
        return render(request, self.template, {"form": form, "registering": True})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RegisterParticipantForm(request.POST)
        participant, duplicates = None, []
        if form.is_valid():
            participant, duplicates = _saved(
                form,
                lambda: enrol_participant(
                    registered_by=request.user,
                    consents=form.cleaned_data["consents"],
                    confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
                    **form.changes(),
                ),
            )
        if participant is not None:
            messages.success(request, _("Participant registered."))
            return redirect("people:detail", participant.pk)
        context = {"form": form, "registering": True, "duplicates": duplicates}
        return render(request, self.template, context, status=400)


def _record_page_reads(
    request: HttpRequest, participant: Participant, notes: list[dict[str, Any]]
) -> None:
    """The participant's page was read, and their notes if it shows any: two audit events,
    one write."""
    reads: list[Event] = [("participant.viewed", participant, None)]
    if notes:
        reads.append(("notes.viewed", participant, {"notes": [note["pk"] for note in notes]}))
    record_audit_events(actor=request.user, events=reads)


def _detail_page(request: HttpRequest, pk: int, status: int = 200, **forms: Any) -> HttpResponse:
    """The participant's page (with `forms` that were sent back with errors), its reads
    recorded in the audit log."""
    try:
        page = selectors.participant_page(pk)
    except Participant.DoesNotExist as error:
        raise Http404 from error
    _record_page_reads(request, page.participant, page.notes)
    context = participant_page.detail_context(page, get_token(request), **forms)
    return render(request, "people/participant_detail.html", context, status=status)


class ParticipantDetailView(StaffRequired, View):
    """The participant's page: contact details, consents, VOG, messages waiting, notes, and
    the timeline of everything that happened with them."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _detail_page(request, pk)


class ParticipantEditView(StaffRequired, View):
    template = "people/participant_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = get_participant(pk)
        if participant.erased_at:
            raise Http404
        record_audit_event(
            actor=request.user,
            action="participant.viewed",
            target=participant,
            detail={"page": "edit"},
        )
        form = ParticipantForm(instance=participant)
        return render(request, self.template, {"form": form, "participant": participant})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = get_participant(pk)
        form = ParticipantForm(request.POST, instance=Participant())
        saved, duplicates = None, []
        if form.is_valid():
            saved, duplicates = _saved(
                form,
                lambda: update_participant(
                    participant=participant,
                    changed_by=request.user,
                    confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
                    **form.changes(),
                ),
            )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("people:detail", participant.pk)
        context = {"form": form, "participant": participant, "duplicates": duplicates}
        return render(request, self.template, context, status=400)


class ProfileView(StaffRequired, View):
    template = "people/profile_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = get_participant(pk)
        profile = selectors.profile_of(participant)
        record_audit_event(
            actor=request.user, action=actions.PARTICIPANT_PROFILE_VIEWED, target=participant
        )
        form = ProfileForm(instance=profile)
        return render(request, self.template, {"form": form, "participant": participant})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = get_participant(pk)
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                update_profile(
                    participant=participant, changed_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Saved."))
                return redirect("people:detail", participant.pk)
        context = {"form": form, "participant": participant}
        return render(request, self.template, context, status=400)


class ConsentView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = get_participant(pk)
        form = ConsentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a consent."))
            return _back_to(participant.pk, "consent-heading")
        topic = form.cleaned_data["topic"]
        if form.needs_confirmation:
            label = ConsentTopic(topic).label
            context = {"participant": participant, "topic": topic, "label": label}
            return render(request, "people/consent_withdraw.html", context)
        try:
            if form.cleaned_data["action"] == "give":
                give_consent(participant=participant, topic=topic, recorded_by=request.user)
                messages.success(request, _("Consent recorded."))
            else:
                withdraw_consent(participant=participant, topic=topic, withdrawn_by=request.user)
                messages.success(request, _("Withdrawal recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if topic == ConsentTopic.REGISTRATION and form.cleaned_data["action"] == "withdraw":
                messages.info(
                    request,
                    _(
                        "Without this consent their details may no longer be kept: once"
                        " nothing still needs them, erase them with “Erase on request”."
                    ),
                )
        return _back_to(participant.pk, "consent-heading")


class CertificateView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = get_participant(pk)
        form = CertificateForm(request.POST)
        if form.is_valid():
            try:
                record_conduct_certificate(
                    participant=participant, recorded_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Certificate of conduct recorded."))
                return _back_to(participant.pk, "vog-heading")
        return _detail_page(request, participant.pk, status=400, certificate_form=form)


class NoteAddView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = get_participant(pk)
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                add_note(participant=participant, author=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Note added."))
                return _back_to(participant.pk, "notes-heading")
        return _detail_page(request, participant.pk, status=400, note_form=form)


class NoteEditView(StaffRequired, View):
    template = "people/note_form.html"

    def _note(self, pk: int, note_pk: int) -> Note:
        participant = get_participant(pk)
        try:
            return selectors.note_for_staff(participant=participant, pk=note_pk)
        except Note.DoesNotExist as error:
            raise Http404 from error

    def get(self, request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
        note = self._note(pk, note_pk)
        record_audit_event(
            actor=request.user,
            action="notes.viewed",
            target=note.participant,
            detail={"notes": [note.pk]},
        )
        form = NoteForm(initial={"text": note.text})
        return render(request, self.template, {"form": form, "note": note})

    def post(self, request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
        note = self._note(pk, note_pk)
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                edit_note(note=note, editor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Note saved."))
                return _back_to(note.participant_id, "notes-heading")
        return render(request, self.template, {"form": form, "note": note}, status=400)


class HeldMessageHandledView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
        participant = get_participant(pk)
        try:
            message = HeldMessage.objects.get(participant=participant, pk=message_pk)
        except HeldMessage.DoesNotExist as error:
            raise Http404 from error
        mark_held_message_handled(message=message, handled_by=request.user)
        messages.success(request, _("Marked as passed on."))
        return redirect("people:detail", participant.pk)


class ExportView(StaffRequired, View):
    """A JSON file with everything kept about the participant (their right of access)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = get_participant(pk)
        data = export_participant_data(participant=participant, exported_by=request.user)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="participant-{participant.pk}.json"'
        )
        response["Cache-Control"] = "no-store"
        return response


class EraseView(StaffRequired, View):
    template = "people/erase.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = get_participant(pk)
        return render(request, self.template, {"participant": participant, "form": EraseForm()})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = get_participant(pk)
        form = EraseForm(request.POST)
        if form.is_valid():
            try:
                erase_participant(
                    participant=participant,
                    erased_by=request.user,
                    confirmation=form.cleaned_data["confirmation"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The participant's personal data has been erased."))
                return redirect("people:detail", participant.pk)
        context = {"participant": participant, "form": form}
        return render(request, self.template, context, status=400)


def _back_to(pk: int, section: str) -> HttpResponse:
    """The participant's page at the section just changed: at the top, a broker lost their
    place (the notes are screens down on a phone); the next Tab continues from there."""
    return redirect(reverse("people:detail", args=[pk]) + f"#{section}")
