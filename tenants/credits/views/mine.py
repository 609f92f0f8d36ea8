"""A resident's own statement: their balance and every movement with the balance after it
(signed in by a mailed link or with an account)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from tenants.people.sessions import current_participant
from tijdvoorelkaar.pagination import page_of

from ..models import Account
from ..selectors import balance, statement
from .common import CreditsOn


class MyStatementView(CreditsOn, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        participant = current_participant(request)
        if participant is None:
            return redirect("market:sign-in")
        account = Account.objects.filter(
            kind=Account.Kind.PARTICIPANT, participant=participant
        ).first()
        lines = page_of(request, statement(account) if account else [])
        return render(
            request,
            "credits/mine.html",
            {
                "participant": participant,
                "balance": balance(account) if account else 0,
                "page": lines,
            },
        )
