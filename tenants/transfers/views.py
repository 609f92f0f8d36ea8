"""The broker's import and export pages. The upload's rows wait in the session (the
neighbourhood's own database) between preview and import, never in a file or a log."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from tijdvoorelkaar.accounts.access import StaffRequired

from .forms import ConfirmForm, EncodingForm, ExportForm, UploadForm
from .preview.characters import flag_unusual_names
from .preview.checks import check_rows
from .preview.columns import COLUMNS, FIELD_LABELS, KINDS, map_columns, mapped_rows
from .reading import UploadProblem, read_table, upload_bytes
from .services import ImportRefused, export_table, import_rows

SESSION_KEY = "transfers.pending"


def _pending(kind: str, name: str, data: bytes, encoding: str | None = None) -> dict[str, Any]:
    """What waits in the session between preview and import. A CSV keeps its bytes too, so
    that the broker can have it read again with another encoding."""
    table = read_table(name=name, data=data, encoding=encoding)
    columns = map_columns(kind, table.headers)
    if columns.missing:
        raise UploadProblem(
            _("Columns missing: %(names)s.") % {"names": ", ".join(columns.missing)}
        )
    return {
        "kind": kind,
        "name": name,
        "encoding": table.encoding,
        "csv": base64.b64encode(data).decode("ascii") if table.encoding else None,
        "unknown": columns.unknown,
        "ignored": columns.ignored,
        "rows": mapped_rows(table, columns),
    }


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
            try:
                data = upload_bytes(upload)
                request.session[SESSION_KEY] = _pending(
                    form.cleaned_data["kind"], upload.name or "", data
                )
            except UploadProblem as problem:
                form.add_error("file", str(problem))
            else:
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
        encoding_form: EncodingForm | None = None,
    ) -> HttpResponse:
        flag_unusual_names(rows, pending.get("encoding"))
        present = {name for row in rows for name in row.values}
        fields = [
            name for name in dict.fromkeys(COLUMNS[pending["kind"]].values()) if name in present
        ]
        context = {
            **_summary(pending["kind"], rows),
            "encoding": pending.get("encoding"),
            "encoding_form": encoding_form
            or (
                EncodingForm(initial={"encoding": pending["encoding"]})
                if pending.get("csv")
                else None
            ),
            "headers": [FIELD_LABELS[name] for name in fields],
            "warned": sum(1 for row in rows if row.warnings),
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
        if request.POST.get("action") == "reread" and pending.get("csv"):
            return self._reread(request, pending)
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

    def _reread(self, request: HttpRequest, pending: dict[str, Any]) -> HttpResponse:
        """Read the kept CSV again with the encoding the broker chose, and preview that."""
        form = EncodingForm(request.POST)
        if form.is_valid():
            data = base64.b64decode(pending["csv"])
            try:
                request.session[SESSION_KEY] = _pending(
                    pending["kind"], pending["name"], data, form.cleaned_data["encoding"]
                )
            except UploadProblem as problem:
                form.add_error("encoding", str(problem))
            else:
                return redirect("transfers:preview")
        rows = check_rows(pending["kind"], [tuple(row) for row in pending["rows"]])
        return self._render(request, pending, rows, status=400, encoding_form=form)


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
