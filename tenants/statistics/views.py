"""The report page for admins and brokers, its "compute now", the progress it polls, and the
downloads (CSV, XLSX, PDF)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from tijdvoorelkaar.accounts.access import StaffRequired, object_or_404
from tijdvoorelkaar.jobs import progress_poll
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from . import exports, selectors
from .charts import Chart, bar_chart
from .figures import BY_KEY
from .forms import PeriodForm
from .models import Snapshot
from .periods import Period, PeriodKind
from .report import ReportTable, build_report, is_empty
from .services import period_of, request_snapshot


def _charts(snapshot: Snapshot) -> list[Chart]:
    figures = snapshot.figures

    def bars(keys: list[str]) -> list[tuple[str, int | float]]:
        return [(str(BY_KEY[key].label), figures.get(key) or 0) for key in keys]

    heard = [key for key in BY_KEY if key.startswith("heard_via.")]
    return [
        bar_chart(
            "chart-outcomes",
            _("Outcome of the mediations started in the period"),
            _("The numbers are also in the table “Mediations and matches”."),
            bars(
                [
                    "mediations.matches",
                    "mediations.no_match",
                    "mediations.cancelled",
                    "mediations.open",
                ]
            ),
        ),
        bar_chart(
            "chart-heard",
            _("How new participants heard of us"),
            _("The numbers are also in the table “How new participants heard of us”."),
            bars(heard),
        ),
    ]


class ReportView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            period = period_of(request.GET)
        except ValidationError as error:
            form = PeriodForm(request.GET)
            form.is_valid()
            form.add_service_errors(error)
            return render(request, "statistics/report.html", self._context(form, None), status=400)
        form = PeriodForm(initial=period.query())
        return render(request, "statistics/report.html", self._context(form, period))

    def _context(self, form: PeriodForm, period: Period | None) -> dict[str, Any]:
        context: dict[str, Any] = {"form": form, "period": period}
        if period is None:
            return context
        snapshot = selectors.snapshot_of(period)
        if (
            snapshot is not None
            and snapshot.period != period
            and snapshot.kind != PeriodKind.WHOLE_TERM
        ):
            snapshot = None
        query = urlencode(period.query())
        context.update(snapshot=snapshot, query=query, compute=period.query())
        if snapshot is not None and snapshot.computed_at is not None:
            previous = selectors.previous_snapshot(period)
            context.update(
                tables=build_report(snapshot, previous),
                previous=previous if previous is not None and previous.computed_at else None,
                charts=_charts(snapshot),
                empty=is_empty(snapshot),
            )
        return context


class ComputeView(StaffRequired, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            period = period_of(request.POST)
        except ValidationError:
            return redirect(reverse("statistics:report") + "?" + urlencode(_query(request.POST)))
        snapshot = request_snapshot(period=period, by=request.user)
        if request.htmx:  # type: ignore[attr-defined]
            query = urlencode(period.query())
            return _progress(request, snapshot, query)
        return redirect(reverse("statistics:report") + "?" + urlencode(period.query()))


def _query(data: Any) -> dict[str, str]:
    return {
        key: str(data.get(key, ""))[:20]
        for key in ("period", "year", "start", "end")
        if data.get(key)
    }


class ProgressView(StaffRequired, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        snapshot = object_or_404(Snapshot.objects.all(), pk)
        return _progress(request, snapshot, urlencode(snapshot.period.query()))


def _progress(request: HttpRequest, snapshot: Snapshot, query: str) -> HttpResponse:
    context = {"snapshot": snapshot, "query": query} | progress_poll(request, snapshot.state)
    return render(request, "statistics/_progress.html", context)


class ExportView(StaffRequired, View):
    """`format` is csv, xlsx or pdf; the period as on the page. A period not computed yet
    is a 404: the page offers "compute now"."""

    def get(self, request: HttpRequest, format: str) -> HttpResponse:
        try:
            period = period_of(request.GET)
        except ValidationError as error:
            return HttpResponse(
                "; ".join(error.messages), status=400, content_type="text/plain; charset=utf-8"
            )
        snapshot = selectors.snapshot_of(period)
        if snapshot is None or snapshot.computed_at is None:
            raise Http404(_("These figures have not been computed yet."))
        tables: list[ReportTable] = build_report(snapshot, selectors.previous_snapshot(period))
        neighbourhood = current_neighbourhood()
        name = (
            f"report-{neighbourhood.slug}-{snapshot.start.isoformat()}-{snapshot.end.isoformat()}"
        )
        if format == "csv":
            body: bytes = exports.report_csv(snapshot, tables, neighbourhood.name)
            content_type = "text/csv; charset=utf-8"
        elif format == "xlsx":
            body = exports.report_xlsx(snapshot, tables, neighbourhood.name)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            body = exports.report_pdf(snapshot, tables, neighbourhood, get_language() or "nl")
            content_type = "application/pdf"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}.{format}"'
        return response
