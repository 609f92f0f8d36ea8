"""The survey's pages: the participant's, opened from the mail without logging in, and the
broker's (open invitations, entering a paper form, the remarks)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from tenants.audit import actions
from tenants.audit.services import record_audit_event
from tenants.people.models import ParticipantLink
from tenants.people.services.links import LinkProblem, find_link
from tijdvoorelkaar.accounts.access import StaffRequired, object_or_404
from tijdvoorelkaar.pagination import page_of

from . import selectors
from .forms import PaperSurveyForm, SurveyForm
from .models import SurveyInvitation
from .services.answers import answer_by_link, enter_paper_answers

# What a link that cannot be used shows: never whose it was or what they answered.
PROBLEM_STATUS = {"unknown": 404, "expired": 410, "used": 200}


def _open_invitation(token: str) -> None:
    link = find_link(token=token, purpose=ParticipantLink.Purpose.SURVEY)
    if not SurveyInvitation.objects.filter(
        pk=link.subject_id, participant=link.participant, answered=False
    ).exists():
        raise LinkProblem("used")  # a broker entered the paper form meanwhile


class SurveyView(View):
    """/survey/<token>/: a GET changes nothing (mail scanners open links); the POST answers."""

    def _problem(self, request: HttpRequest, reason: str) -> HttpResponse:
        return render(
            request, "surveys/unavailable.html", {"reason": reason}, status=PROBLEM_STATUS[reason]
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            _open_invitation(token)
        except LinkProblem as problem:
            return self._problem(request, problem.reason)
        return render(request, "surveys/survey.html", {"form": SurveyForm()})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                answer_by_link(token=token, answers=form.answers())
            except LinkProblem as problem:
                return self._problem(request, problem.reason)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return redirect("surveys:thanks")
        return render(request, "surveys/survey.html", {"form": form}, status=400)


class ThanksView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "surveys/thanks.html")


class InvitationListView(StaffRequired, View):
    """Who was asked and has not answered yet: the broker enters a paper form from here."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        year_start = today.replace(month=1, day=1)
        context = {
            "page": page_of(request, selectors.open_invitations()),
            "figures": selectors.survey_figures(year_start, today),
            "year_start": year_start,
        }
        return render(request, "surveys/invitations.html", context)


class PaperEntryView(StaffRequired, View):
    def _render(
        self,
        request: HttpRequest,
        invitation: SurveyInvitation,
        form: PaperSurveyForm,
        status: int = 200,
    ) -> HttpResponse:
        return render(
            request, "surveys/paper.html", {"invitation": invitation, "form": form}, status=status
        )

    def get(self, request: HttpRequest, pk: str) -> HttpResponse:
        invitation = object_or_404(selectors.open_invitations(), pk)
        form = PaperSurveyForm(initial={"answered_on": timezone.localdate()})
        return self._render(request, invitation, form)

    def post(self, request: HttpRequest, pk: str) -> HttpResponse:
        invitation = object_or_404(selectors.open_invitations(), pk)
        form = PaperSurveyForm(request.POST)
        if form.is_valid():
            try:
                enter_paper_answers(
                    invitation=invitation,
                    answered_on=form.cleaned_data["answered_on"],
                    answers=form.answers(),
                    entered_by=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The paper form is entered. Thank you."))
                return redirect("surveys:invitations")
        return self._render(request, invitation, form, status=400)


class RemarkListView(StaffRequired, View):
    """What people added in the free text: staff only, and every read is audited."""

    def get(self, request: HttpRequest) -> HttpResponse:
        page = page_of(request, selectors.remarks())
        record_audit_event(
            actor=request.user,
            action=actions.SURVEY_VIEWED,
            detail={"ids": [answer.pk for answer in page.object_list]},
        )
        return render(request, "surveys/remarks.html", {"page": page})
