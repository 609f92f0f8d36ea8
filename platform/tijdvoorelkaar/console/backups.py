"""The console's Backups pages: every neighbourhood's backups (also of deleted ones), backing
up now, restoring as a new neighbourhood (the default) or under its own name, replacing a
live one only after a confirmation page, and each job's progress."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from tijdvoorelkaar.accounts.access import OperatorRequired
from tijdvoorelkaar.jobs import progress_poll
from tijdvoorelkaar.neighbourhoods.jobs import job_progress
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.operations.forms import AS_NEW, OWN_NAME, ReplaceForm, RestoreForm
from tijdvoorelkaar.operations.jobs import start_backup, start_restore
from tijdvoorelkaar.operations.models import OperationJob
from tijdvoorelkaar.operations.selectors import Dump, backed_up_neighbourhoods, dump_of, dumps_of
from tijdvoorelkaar.pagination import page_of


def _live(slug: str) -> Neighbourhood | None:
    return Neighbourhood.objects.exclude(schema_name="public").filter(slug=slug).first()


def _dump(slug: str, key: str) -> Dump:
    dump = dump_of(slug, key)
    if dump is None:
        raise Http404
    return dump


def _start_restore(
    request: HttpRequest, form: RestoreForm | ReplaceForm, **how: Any
) -> HttpResponse | None:
    """Start the restore and go to its job's page; or put the service's refusal on the form."""
    try:
        job = start_restore(requested_by=request.user, **how)
    except ValidationError as error:
        form.add_service_errors(error)
        return None
    return redirect("console:operation-job", job_id=job.pk)


class BackupsView(OperatorRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        page = page_of(request, backed_up_neighbourhoods())
        return render(request, "console/backups.html", {"page": page})


class NeighbourhoodBackupsView(OperatorRequired, View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        dumps, live = dumps_of(slug), _live(slug)
        if not dumps and live is None:
            raise Http404
        context = {"slug": slug, "item": live, "page": page_of(request, dumps)}
        return render(request, "console/neighbourhood_backups.html", context)


class BackUpNowView(OperatorRequired, View):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        neighbourhood = _live(slug)
        if neighbourhood is None:
            raise Http404
        job = start_backup(neighbourhood=neighbourhood, requested_by=request.user)
        return redirect("console:operation-job", job_id=job.pk)


class RestoreView(OperatorRequired, View):
    """Choose how to restore one backup: by default a live neighbourhood's as a new one, a
    deleted one's under its own name."""

    def get(self, request: HttpRequest, slug: str, key: str) -> HttpResponse:
        # A deleted neighbourhood most likely comes back under its own name, as its page says.
        mode = AS_NEW if _live(slug) is not None else OWN_NAME
        return self._render(request, _dump(slug, key), RestoreForm(initial={"mode": mode}))

    def post(self, request: HttpRequest, slug: str, key: str) -> HttpResponse:
        dump = _dump(slug, key)
        form = RestoreForm(request.POST)
        if form.is_valid():
            as_new = form.cleaned_data["mode"] == AS_NEW
            if not as_new and _live(slug) is not None:
                return redirect("console:replace", slug=slug, key=key)
            started = _start_restore(
                request,
                form,
                source=slug,
                key=key,
                slug=form.cleaned_data["slug"] if as_new else None,
                domains=form.cleaned_data["domains"],
                replace=False,
            )
            if started:
                return started
        return self._render(request, dump, form, status=400)

    def _render(
        self, request: HttpRequest, dump: Dump, form: RestoreForm, status: int = 200
    ) -> HttpResponse:
        context = {"dump": dump, "form": form, "item": _live(dump.slug)}
        return render(request, "console/restore.html", context, status=status)


class ReplaceView(OperatorRequired, View):
    """The confirmation step before a backup replaces the live neighbourhood it was made of."""

    def get(self, request: HttpRequest, slug: str, key: str) -> HttpResponse:
        return self._render(request, slug, key, ReplaceForm())

    def post(self, request: HttpRequest, slug: str, key: str) -> HttpResponse:
        form = ReplaceForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["confirm_slug"] != slug:
                form.add_error("confirm_slug", ReplaceForm.mismatch)
            else:
                started = _start_restore(
                    request, form, source=slug, key=key, slug=None, domains=None, replace=True
                )
                if started:
                    return started
        return self._render(request, slug, key, form, status=400)

    def _render(
        self, request: HttpRequest, slug: str, key: str, form: ReplaceForm, status: int = 200
    ) -> HttpResponse:
        dump, live = _dump(slug, key), _live(slug)
        if live is None:  # nothing to replace: the ordinary restore page does it
            return redirect("console:restore", slug=slug, key=key)
        context: dict[str, Any] = {
            "dump": dump,
            "item": live,
            "domains": [d.domain for d in live.domains.all()],
            "form": form,
        }
        return render(request, "console/replace.html", context, status=status)


class OperationJobView(OperatorRequired, View):
    """A backup's or restore's progress; the page polls the same URL with htmx."""

    def get(self, request: HttpRequest, job_id: str) -> HttpResponse:
        job = get_object_or_404(OperationJob, pk=job_id)
        progress = job_progress(job)
        context = {"job": job, "progress": progress}
        context |= progress_poll(request, job.status, progress.get("step"))
        if job.status == OperationJob.Status.DONE and job.kind == OperationJob.Kind.RESTORE:
            context["restored"] = _live(job.result)
        template = (
            "console/_operation_job_progress.html" if request.htmx else "console/operation_job.html"
        )
        return render(request, template, context)
