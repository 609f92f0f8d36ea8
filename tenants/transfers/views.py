"""The broker's import and export pages. The upload's rows wait in the session (the
neighbourhood's own database) between preview and import, never in a file or a log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from tijdvoorelkaar.accounts.access import StaffRequired

from .forms import ConfirmForm, ExportForm, UploadForm
from .preview.checks import check_rows
from .preview.columns import COLUMNS, KINDS, map_columns, mapped_rows
from .reading import UploadProblem, read_upload
from .services import ImportRefused, export_table, import_rows

SESSION_KEY = "transfers.pending"


def _summary(kind: str, rows: list[Any]) -> dict[str, Any]:
    return {
        "kind": kind,
        "rows": rows,
        "good": sum(1 for row in rows if row.ok),
        "bad": sum(1 for row in rows if not row.ok),
    }


class TransfersView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "transfers/index.html",
            {"form": UploadForm(), "pending": SESSION_KEY in request.session},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            kind = form.cleaned_data["kind"]
            try:
                table = read_upload(upload)
            except UploadProblem as problem:
                form.add_error("file", str(problem))
            else:
                columns = map_columns(kind, table.headers)
                if columns.missing:
                    form.add_error(
                        "file",
                        _("Columns missing: %(names)s.") % {"names": ", ".join(columns.missing)},
                    )
                else:
                    request.session[SESSION_KEY] = {
                        "kind": kind,
                        "unknown": columns.unknown,
                        "ignored": columns.ignored,
                        "rows": mapped_rows(table, columns),
                    }
                    return redirect("transfers:preview")
        return render(request, "transfers/index.html", {"form": form, "pending": False}, status=400)


class PreviewView(StaffRequired, View):
    def _pending(self, request: HttpRequest) -> dict[str, Any] | None:
        pending = request.session.get(SESSION_KEY)
        return pending if isinstance(pending, dict) and pending.get("kind") in KINDS else None

    def _render(
        self,
        request: HttpRequest,
        pending: dict[str, Any],
        rows: list[Any],
        status: int = 200,
        form: ConfirmForm | None = None,
    ) -> HttpResponse:
        present = {name for row in rows for name in row.values}
        fields = [
            name for name in dict.fromkeys(COLUMNS[pending["kind"]].values()) if name in present
        ]
        context = {
            **_summary(pending["kind"], rows),
            "unknown": pending["unknown"],
            "ignored": pending["ignored"],
            "form": form
            or ConfirmForm(kind=pending["kind"], has_errors=any(not row.ok for row in rows)),
            "fields": fields,
            "table": [(row, [row.values.get(name, "") for name in fields]) for row in rows],
        }
        return render(request, "transfers/preview.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        pending = self._pending(request)
        if pending is None:
            return redirect("transfers:index")
        rows = check_rows(pending["kind"], [tuple(row) for row in pending["rows"]])
        return self._render(request, pending, rows)

    def post(self, request: HttpRequest) -> HttpResponse:
        pending = self._pending(request)
        if pending is None or request.POST.get("action") == "cancel":
            request.session.pop(SESSION_KEY, None)
            return redirect("transfers:index")
        rows = [tuple(row) for row in pending["rows"]]
        form = ConfirmForm(request.POST, kind=pending["kind"], has_errors=True)
        form.is_valid()
        try:
            result = import_rows(
                kind=pending["kind"],
                rows=rows,
                only_good_rows=form.cleaned_data.get("only_good_rows", False),
                consent_confirmed=form.cleaned_data.get("consent_confirmed", False),
                by=request.user,
            )
        except ImportRefused as refused:
            if all(row.ok for row in refused.rows):
                form.fields.pop("only_good_rows")  # nothing to skip: do not offer it
            messages.error(request, refused.message)
            return self._render(request, pending, refused.rows, status=400, form=form)
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request,
            _("%(imported)s rows imported, %(skipped)s skipped.")
            % {"imported": result.imported, "skipped": result.skipped},
        )
        return redirect("transfers:index")


class ExportView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = ExportForm(request.GET)
        if not form.is_valid():
            raise Http404
        export = export_table(by=request.user, **form.cleaned_data)
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Cache-Control"] = "no-store"
        return response
