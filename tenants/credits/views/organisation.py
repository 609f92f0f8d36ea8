"""An organisation's member (a participant, signed in by a link or an account) rewards its
volunteers on its behalf: the broker's reward job and pages, limited to the organisation's
own members and placements. Anyone else, or credits off: not found."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from tenants.organisations.models import Organisation
from tenants.people.sessions import current_participant

from ..forms import MemberRewardForm
from ..rewards import start_reward
from ..selectors import volunteers_of
from .common import CreditsOn, new_key, reward_job_page

LAYOUT = "credits/participant_base.html"


class MemberOfOrganisation(CreditsOn, View):
    """The signed-in participant must be a member of the organisation in the URL."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        participant = current_participant(request)
        organisation = None
        if participant is not None and str(kwargs.get("pk", "")).isdecimal():
            organisation = participant.organisations.filter(pk=int(kwargs["pk"])).first()
        if organisation is None:
            raise Http404
        self.participant: Any = participant
        self.organisation: Organisation = organisation
        return super().dispatch(request, *args, **kwargs)

    def page_context(self, job: str | None = None) -> dict[str, Any]:
        pk = self.organisation.pk
        context: dict[str, Any] = {
            "layout": LAYOUT,
            "organisation": self.organisation,
            "form_url": reverse("credits:member-reward", kwargs={"pk": pk}),
            "cancel_url": reverse("credits:mine"),
        }
        if job:
            context["job_url"] = reverse("credits:member-reward-job", kwargs={"pk": pk, "job": job})
        return context


class MemberRewardView(MemberOfOrganisation):
    def _render(
        self, request: HttpRequest, form: MemberRewardForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request, "credits/reward.html", {"form": form, **self.page_context()}, status=status
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = MemberRewardForm(
            volunteers=volunteers_of(self.organisation),
            initial={"amount_each": 1, "idempotency_key": new_key()},
        )
        return self._render(request, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = MemberRewardForm(request.POST, volunteers=volunteers_of(self.organisation))
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = start_reward(
                    recipients=list(data["recipients"]),
                    amount_each=data["amount_each"],
                    by=request.user,
                    description=data["description"],
                    organisation=self.organisation,
                    member=self.participant,
                    submission_key=data["idempotency_key"] or None,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return redirect("credits:member-reward-job", pk=pk, job=job)
        return self._render(request, form, status=400)


class MemberRewardJobView(MemberOfOrganisation):
    def get(self, request: HttpRequest, pk: int, job: str) -> HttpResponse:
        return reward_job_page(request, job, **self.page_context(job))
