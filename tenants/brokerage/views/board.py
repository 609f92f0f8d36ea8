"""The routing board: who is at which step, and moving someone on."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from tijdvoorelkaar.accounts.access import StaffRequired
from tijdvoorelkaar.pagination import LOG_PAGE_SIZE, page_of

from .. import selectors, services
from ..forms import (
    BoardFilterForm,
    MoveForm,
)
from .lookups import next_page, participant_or_404


class BoardView(StaffRequired, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filter_form = BoardFilterForm(request.GET or None)
        chosen = filter_form.cleaned_data if filter_form.is_valid() else {}
        sub_area, step = chosen.get("sub_area"), chosen.get("step")
        context = {
            "board": selectors.board(sub_area=sub_area),
            "filter_form": filter_form,
            "here": request.get_full_path(),
        }
        if step is not None:  # one whole step (more people than the board shows), by page
            steps, rows = selectors.running(sub_area=sub_area, step=step)
            context["step"] = step
            context["page"] = page_of(request, rows, size=LOG_PAGE_SIZE)
            context["step_cards"] = selectors.cards(context["page"].object_list, steps)
        return render(request, "brokerage/board.html", context)


class MoveView(StaffRequired, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = participant_or_404(pk)
        form = MoveForm(request.POST)
        if form.is_valid():
            try:
                services.move_trajectory(
                    participant=participant, to_step=form.cleaned_data["step"], by=request.user
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("%(name)s is now at “%(step)s”.")
                    % {
                        "name": participant.display_name,
                        "step": form.cleaned_data["step"].display_name,
                    },
                )
        else:
            messages.error(request, _("Choose a step from the list."))
        # Back at the card just moved, so a keyboard user's next Tab continues from there.
        return redirect(f"{next_page(request, '/broker/board/')}#card-{participant.pk}")
