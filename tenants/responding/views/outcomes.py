"""/outcome/<token>/<yes|no>/: the answer to "did it work out?" from the mailed question.

A GET never changes anything (mail scanners open links): the page shows the answer from the
link preselected and one button that sends it (POST). The same link shows the recorded
answer afterwards and may change it while it is valid (30 days).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from tenants.mediations.selectors import mediation_for_feedback, mediation_sides, recorded_feedback
from tenants.mediations.services import record_feedback
from tenants.people.models import ParticipantLink
from tenants.people.services.links import LinkProblem, redeem_link

from ..selectors import outcome_link
from .responses import place_ad_url

ANSWERS = {"yes": True, "no": False}


class OutcomeView(View):
    template_name = "responding/outcome.html"

    def _problem(self, request: HttpRequest, reason: str) -> HttpResponse:
        status = 410 if reason == "expired" else 404
        return render(request, "responding/outcome_invalid.html", {"reason": reason}, status=status)

    def _load(self, token: str):  # type: ignore[no-untyped-def]
        link = outcome_link(token)
        mediation = mediation_for_feedback(link.subject_id)
        if mediation is None or link.participant_id not in {
            p.pk for p in mediation_sides(mediation)
        }:
            raise LinkProblem("unknown")
        return link, mediation

    def get(self, request: HttpRequest, token: str, answer: str) -> HttpResponse:
        try:
            link, mediation = self._load(token)
        except LinkProblem as problem:
            return self._problem(request, problem.reason)
        recorded = recorded_feedback(mediation, link.participant)
        return render(
            request,
            self.template_name,
            {
                "mediation": mediation,
                "ad": mediation.response.ad if mediation.response else None,
                "answer": answer,
                "recorded": recorded,
                "place_url": place_ad_url(),
                "just_answered": request.GET.get("saved") == "1",
            },
        )

    def post(self, request: HttpRequest, token: str, answer: str) -> HttpResponse:
        chosen = request.POST.get("answer", answer)
        if chosen not in ANSWERS:
            chosen = answer
        try:
            link, mediation = self._load(token)
            try:
                redeem_link(token=token, purpose=ParticipantLink.Purpose.OUTCOME)
            except LinkProblem as problem:
                if problem.reason != "used":  # a used link may change its answer
                    raise
            record_feedback(
                mediation=mediation, participant=link.participant, worked_out=ANSWERS[chosen]
            )
        except LinkProblem as problem:
            return self._problem(request, problem.reason)
        except ValidationError:
            return self._problem(request, "unknown")
        return redirect(reverse(f"responding:outcome_{chosen}", args=[token]) + "?saved=1")
