"""The operator console, on the platform's own domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views import View

from tijdvoorelkaar.accounts.access import OperatorRequired
from tijdvoorelkaar.headlines.exports import headline_csv
from tijdvoorelkaar.headlines.figures import HEADLINE_KEYS, SMALL_CELL
from tijdvoorelkaar.headlines.selectors import (
    TERM,
    HeadlineTable,
    headline_table,
    period_keys,
)
from tijdvoorelkaar.jobs import progress_poll
from tijdvoorelkaar.neighbourhoods.forms import (
    DeleteNeighbourhoodForm,
    NewNeighbourhoodForm,
    SettingsForm,
)
from tijdvoorelkaar.neighbourhoods.jobs import job_progress, start_provisioning
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood, ProvisioningJob
from tijdvoorelkaar.neighbourhoods.selectors import neighbourhoods
from tijdvoorelkaar.neighbourhoods.services import (
    BackupFailed,
    NeighbourhoodSpec,
    archive_neighbourhood,
    delete_neighbourhood,
    reopen_neighbourhood,
    resend_admin_invitations,
    update_settings,
)
from tijdvoorelkaar.neighbourhoods.spares import spares_ready
from tijdvoorelkaar.sites import site_address

from .inbox import inbox_enabled, read_inbox, read_message


def _neighbourhood(slug: str) -> Neighbourhood:
    return get_object_or_404(neighbourhoods(), slug=slug)


class DashboardView(OperatorRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = [(n, site_address(n)) for n in neighbourhoods()]
        return render(request, "console/dashboard.html", {"rows": rows})


NEW_NEIGHBOURHOOD_DEFAULTS = {
    "languages": ["nl", "en"],
    "theme": "default",
    "reporting_year_start_month": 7,
    "moderation": "after",
    "ad_lifetime_weeks": 8,
    "support_conversation_limit": 3,
    "follow_up_weeks": [2, 6],
    "credit_name": "Roosjes",
}


class NewNeighbourhoodView(OperatorRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        initial = NEW_NEIGHBOURHOOD_DEFAULTS | _asked_by_failed_job(request.GET.get("again", ""))
        form = NewNeighbourhoodForm(initial=initial)
        return _new_neighbourhood_page(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = NewNeighbourhoodForm(request.POST)
        if form.is_valid():
            spec = NeighbourhoodSpec(**form.cleaned_data)
            try:
                job = start_provisioning(spec=spec, requested_by=request.user)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return redirect("console:job", job_id=job.pk)
        return _new_neighbourhood_page(request, form, status=400)


def _new_neighbourhood_page(
    request: HttpRequest, form: NewNeighbourhoodForm, status: int = 200
) -> HttpResponse:
    ready, kept = spares_ready()
    context = {"form": form, "spares_ready": ready, "spares_kept": kept}
    return render(request, "console/new_neighbourhood.html", context, status=status)


def _asked_by_failed_job(job_id: str) -> dict[str, Any]:
    """What a failed provisioning asked for, to try again without typing it all again (its
    admin's name and e-mail address were cleared when it ended: they are asked again)."""
    try:
        job = ProvisioningJob.objects.filter(
            pk=job_id, status=ProvisioningJob.Status.FAILED
        ).first()
    except ValidationError:  # not a job's id
        return {}
    if job is None:
        return {}
    fields = NewNeighbourhoodForm.base_fields
    asked = {name: value for name, value in job.request.items() if name in fields and value}
    if "domains" in asked:
        asked["domains"] = "\n".join(asked["domains"])
    return asked


class JobView(OperatorRequired, View):
    """Provisioning progress; the page polls the same URL with htmx for the progress part."""

    def get(self, request: HttpRequest, job_id: str) -> HttpResponse:
        job = get_object_or_404(ProvisioningJob.objects.select_related("neighbourhood"), pk=job_id)
        progress = job_progress(job)
        context = {"job": job, "progress": progress}
        context |= progress_poll(request, job.status, progress.get("step"))
        template = "console/_job_progress.html" if request.htmx else "console/job.html"
        return render(request, template, context)


class NeighbourhoodView(OperatorRequired, View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        neighbourhood = _neighbourhood(slug)
        form = SettingsForm(initial=SettingsForm.initial_from(neighbourhood))
        return self._render(request, neighbourhood, form)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        neighbourhood = _neighbourhood(slug)
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                update_settings(
                    neighbourhood=neighbourhood, changes=form.cleaned_data, changed_by=request.user
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Settings saved."))
                return redirect("console:neighbourhood", slug=slug)
        return self._render(request, neighbourhood, form, status=400)

    def _render(
        self, request: HttpRequest, neighbourhood: Neighbourhood, form: Any, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "console/neighbourhood.html",
            {"item": neighbourhood, "form": form, "url": site_address(neighbourhood)},
            status=status,
        )


class ArchiveView(OperatorRequired, View):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        neighbourhood = _neighbourhood(slug)
        if request.POST.get("action") == "reopen":
            reopen_neighbourhood(neighbourhood=neighbourhood, reopened_by=request.user)
            messages.success(request, _("%(name)s is open again.") % {"name": neighbourhood})
        else:
            archive_neighbourhood(neighbourhood=neighbourhood, archived_by=request.user)
            messages.success(
                request,
                _("%(name)s is archived; its site now says it has closed.")
                % {"name": neighbourhood},
            )
        return redirect("console:neighbourhood", slug=slug)


class ResendInvitationView(OperatorRequired, View):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        count = resend_admin_invitations(neighbourhood=_neighbourhood(slug))
        if count:
            messages.success(request, _("The invitation was sent again."))
        else:
            messages.info(request, _("Every admin has already accepted their invitation."))
        return redirect("console:neighbourhood", slug=slug)


class DeleteView(OperatorRequired, View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(
            request,
            "console/delete.html",
            {"item": _neighbourhood(slug), "form": DeleteNeighbourhoodForm()},
        )

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        neighbourhood = _neighbourhood(slug)
        form = DeleteNeighbourhoodForm(request.POST)
        if form.is_valid():
            try:
                backup = delete_neighbourhood(
                    neighbourhood=neighbourhood, confirm_slug=form.cleaned_data["confirm_slug"]
                )
            except ValidationError as error:
                form.add_error("confirm_slug", error.messages)
            except BackupFailed as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(name)s was deleted. Backup: %(file)s")
                    % {"name": neighbourhood.name, "file": backup.name},
                )
                return redirect("console:dashboard")
        return render(
            request, "console/delete.html", {"item": neighbourhood, "form": form}, status=400
        )


class InboxView(OperatorRequired, View):
    """The demo's mail: what the file e-mail backend wrote, readable in the browser."""

    def get(self, request: HttpRequest, name: str | None = None) -> HttpResponse:
        if not inbox_enabled():
            raise Http404
        if name:
            return render(request, "console/inbox_message.html", {"message": read_message(name)})
        return render(
            request,
            "console/inbox.html",
            {"mails": read_inbox(), "folder": settings.MAIL_INBOX_DIR},
        )


def _chosen_period(request: HttpRequest) -> tuple[str, list[str]]:
    keys = period_keys()
    asked = request.GET.get("period", "")
    if asked in keys:
        return asked, keys
    return (keys[0] if keys else TERM), keys


def _cell(value: int | float | str | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return number_format(value)  # 56,5 on a Dutch page, as the totals below it
    return escape(value) if isinstance(value, str) else str(value)


def _body_rows(table: HeadlineTable) -> SafeString:
    """The table's rows as HTML (names escaped; figures are numbers or "<5"). Plain string
    building: 500 rows of 12 cells through the template engine or format_html took most of
    the 200 ms this page may take."""
    link = reverse("console:neighbourhood", args=["SLUG"])
    not_yet = escape(_("not yet"))
    dates: dict[datetime, str] = {}  # rows computed in the same minute share the text
    lines = []
    for row in table.rows:
        if row.computed_at is None:
            computed = not_yet
        else:
            minute = row.computed_at.replace(second=0, microsecond=0)
            if minute not in dates:
                dates[minute] = date_format(timezone.localtime(minute), "DATETIME_FORMAT")
            computed = dates[minute]
        cells = "".join(f'<td class="number">{_cell(cell)}</td>' for cell in row.cells)
        lines.append(
            f'<tr><th scope="row"><a href="{escape(link.replace("SLUG", row.slug))}">'
            f"{escape(row.name)}</a></th>{cells}<td>{computed}</td></tr>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every value above is escaped or a number


class HeadlinesView(OperatorRequired, View):
    """Every active neighbourhood's headline figures side by side, with totals."""

    def get(self, request: HttpRequest) -> HttpResponse:
        period_key, keys = _chosen_period(request)
        table = headline_table(period_key)
        context = {
            "table": table,
            "body_rows": _body_rows(table),
            "labels": list(HEADLINE_KEYS.values()),
            "period_keys": keys,
            "small_cell": SMALL_CELL,
        }
        return render(request, "console/headlines.html", context)


class HeadlinesCsvView(OperatorRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        period_key, _keys = _chosen_period(request)
        response = HttpResponse(
            headline_csv(headline_table(period_key)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="figures-{period_key}.csv"'
        return response
