"""The one way a neighbourhood page edits some of its own settings: a form of the registry's
fields, saved by `update_settings` (which validates and records who changed what)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from .services import update_settings


class SettingsPage(View):
    """Subclasses name the form (with `initial_from` and `add_service_errors`), the template and
    the URL to return to after saving; the access guard comes first in their bases."""

    form_class: type
    template_name: str
    saved_url: str

    def get(self, request: HttpRequest) -> HttpResponse:
        form = self.form_class(initial=self.form_class.initial_from(request.neighbourhood))
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                update_settings(
                    neighbourhood=request.neighbourhood,
                    changes=form.cleaned_data,
                    changed_by=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Settings saved."))
                return redirect(self.saved_url)
        return render(request, self.template_name, {"form": form}, status=400)
