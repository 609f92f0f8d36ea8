"""Reads of responding: the response a reply link names, the "did it work out?" link, the
responses held for the broker."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils import timezone

from tenants.market.models import Response
from tenants.people.models import ParticipantLink
from tenants.people.services.links import LinkProblem, _hash

from .services.replies import response_id_for_reply_token


def response_for_reply_token(token: str) -> Response | None:
    """The response an owner's reply link names, with its ad, owner and responder."""
    response_id = response_id_for_reply_token(token)
    if response_id is None:
        return None
    return (
        Response.objects.select_related("ad__participant", "responder")
        .filter(pk=response_id)
        .first()
    )


def outcome_link(token: str) -> ParticipantLink:
    """The "did it work out?" link behind `token`, without using it up. A used link stays
    valid (an answer may be changed) until it expires. Raises LinkProblem."""
    link = (
        ParticipantLink.objects.select_related("participant")
        .filter(token_hash=_hash(token), purpose=ParticipantLink.Purpose.OUTCOME)
        .first()
    )
    if link is None or link.subject_id is None:
        raise LinkProblem("unknown")
    if link.expires_at <= timezone.now():
        raise LinkProblem("expired", link)
    return link


def held_responses() -> QuerySet[Response]:
    """Responses held for the broker (owners matched only through the broker), newest
    first, with what the list shows."""
    return (
        Response.objects.filter(held_for_broker=True)
        .select_related("ad", "ad__participant", "responder")
        .order_by(F("seen_by_broker_at").asc(nulls_first=True), "-created_at", "-id")
    )
