"""A neighbourhood admin's pages: the start page, settings and branding, staff accounts, audit
log, outbox."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from tenants.audit.selectors import action_codes, filtered_events
from tenants.audit.services import record_audit_event
from tenants.outbox.models import OutboxMessage
from tenants.outbox.selectors import STATES, outbox_counts, outbox_messages
from tenants.outbox.services import retry_failed
from tijdvoorelkaar.accounts.access import AdminRequired, object_or_404
from tijdvoorelkaar.accounts.models import User
from tijdvoorelkaar.accounts.selectors import staff_accounts
from tijdvoorelkaar.accounts.services import invite_user, send_invitation, update_staff_member
from tijdvoorelkaar.accounts.twofactor import reset_two_factor
from tijdvoorelkaar.neighbourhoods.forms import AdminSettingsForm
from tijdvoorelkaar.neighbourhoods.views import SettingsPage
from tijdvoorelkaar.pagination import LOG_PAGE_SIZE, page_of

from .forms import AuditFilterForm, InviteStaffForm, StaffMemberForm


class StartView(AdminRequired, View):
    """/manage/: where each of the admin's pages is, with what it is for."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "siteadmin/start.html")


class SettingsView(AdminRequired, SettingsPage):
    form_class = AdminSettingsForm
    template_name = "siteadmin/settings.html"
    saved_url = "siteadmin:settings"


class StaffListView(AdminRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, "siteadmin/staff.html", {"staff": staff_accounts(), "form": InviteStaffForm()}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InviteStaffForm(request.POST)
        if form.is_valid():
            try:
                invite_user(invited_by=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("siteadmin:staff")
        return render(
            request, "siteadmin/staff.html", {"staff": staff_accounts(), "form": form}, status=400
        )


class StaffMemberView(AdminRequired, View):
    def _member(self, pk: int) -> User:
        return object_or_404(staff_accounts(), pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = self._member(pk)
        form = StaffMemberForm(initial={"role": member.role, "is_active": member.is_active})
        return render(request, "siteadmin/staff_member.html", {"member": member, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = self._member(pk)
        if request.POST.get("action") == "resend":
            try:
                send_invitation(user=member)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The invitation was sent again."))
            return redirect("siteadmin:staff")
        if request.POST.get("action") == "reset-two-factor":
            try:
                reset_two_factor(user=member, reset_by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _(
                        "Two-step verification of %(name)s is reset; "
                        "they set it up at their next login."
                    )
                    % {"name": member},
                )
            return redirect("siteadmin:staff-member", pk=member.pk)
        form = StaffMemberForm(request.POST)
        if form.is_valid():
            try:
                update_staff_member(member=member, changed_by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Saved."))
                return redirect("siteadmin:staff")
        return render(
            request, "siteadmin/staff_member.html", {"member": member, "form": form}, status=400
        )


class AuditLogView(AdminRequired, View):
    """The audit log, newest first, filtered by staff member, action (or kind) and week."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AuditFilterForm(request.GET, staff=list(staff_accounts()), actions=action_codes())
        filters = form.cleaned_data if form.is_valid() else {}
        events = filtered_events(
            actor_id=filters.get("actor"),
            action=filters.get("action") or "",
            week=filters.get("week") or "",
        )
        page = page_of(request, events, size=LOG_PAGE_SIZE)
        context = {"page": page, "form": form}
        return render(request, "siteadmin/audit.html", context, status=400 if form.errors else 200)


class OutboxView(AdminRequired, View):
    """Which mails went out, which wait or are retried (when next, and why), which failed
    (with a retry button)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        state = request.GET.get("state", "")
        state = state if state in STATES else ""
        page = page_of(request, outbox_messages(state=state), size=LOG_PAGE_SIZE)
        # The list shows recipients' addresses: reading it is recorded like any contact data.
        record_audit_event(
            actor=request.user, action="outbox.viewed", detail={"page": page.number, "state": state}
        )
        context = {"page": page, "state": state, "counts": outbox_counts()}
        return render(request, "siteadmin/outbox.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        message = object_or_404(
            OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED),
            request.POST.get("message", ""),
        )
        retry_failed(message=message)
        messages.success(request, _("The message will be sent again."))
        return redirect("siteadmin:outbox")
