"""The admin's routing steps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from tijdvoorelkaar.accounts.access import AdminRequired, object_or_404

from .. import selectors, services
from ..forms import (
    StepNameForm,
)
from ..models import RoutingStep


class RoutingAdminView(AdminRequired, View):
    def _render(self, request: HttpRequest, form: Any, status: int = 200) -> HttpResponse:
        steps = list(selectors.all_routing_steps())
        return render(
            request,
            "brokerage/routing.html",
            {"steps": steps, "form": form, "active_count": sum(s.is_active for s in steps)},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, StepNameForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StepNameForm(request.POST)
        if form.is_valid():
            try:
                services.add_routing_step(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The step was added at the end."))
                return redirect("brokerage:routing")
        return self._render(request, form, status=400)


class RoutingStepView(AdminRequired, View):
    """One step's buttons: rename, move up or down, retire, restore."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        step = object_or_404(RoutingStep.objects.all(), pk)
        action = request.POST.get("action", "")
        try:
            if action == "rename":
                services.rename_routing_step(
                    step=step,
                    name=request.POST.get("name", ""),
                    name_en=request.POST.get("name_en", ""),
                    by=request.user,
                )
            elif action in ("up", "down"):
                services.move_routing_step(step=step, direction=action, by=request.user)
            elif action == "retire":
                services.retire_routing_step(step=step, by=request.user)
            elif action == "restore":
                services.restore_routing_step(step=step, by=request.user)
            else:
                messages.error(request, _("Unknown action."))
                return redirect("brokerage:routing")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect("brokerage:routing")
