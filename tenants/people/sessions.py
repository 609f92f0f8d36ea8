"""Who is this visitor, as a participant? Someone without an account is signed in by a link
from their mail (the session remembers the participant); someone with an account through it."""

from __future__ import annotations

from django.http import HttpRequest

from .models import Participant

SESSION_KEY = "participant_id"


def sign_in_participant(request: HttpRequest, participant: Participant) -> None:
    request.session.cycle_key()  # a new session id: a link must not fix an attacker's session
    request.session[SESSION_KEY] = participant.pk


def sign_out_participant(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def current_participant(request: HttpRequest) -> Participant | None:
    """The signed-in participant (cached on the request), or None."""
    if not hasattr(request, "_participant"):
        participant = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            participant = Participant.objects.filter(user=user, erased_at__isnull=True).first()
        if participant is None and SESSION_KEY in request.session:
            participant = Participant.objects.filter(
                pk=request.session[SESSION_KEY], erased_at__isnull=True
            ).first()
        request._participant = participant  # type: ignore[attr-defined]
    return request._participant  # type: ignore[attr-defined]
