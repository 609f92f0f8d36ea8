"""Shared by the tests of responding, replying, reporting and "did it work out?"."""

from __future__ import annotations

import re

from tenants.market.models import Ad, Category
from tenants.market.services.ads import confirm_ad, place_ad
from tenants.outbox.models import OutboxMessage
from tenants.people.models import Participant
from tenants.people.services.participants import participant_for_contact

OWNER_EMAIL = "ans.owner@example.org"
RESPONDER_EMAIL = "bert.responder@example.org"
RESPONDER_PHONE = "06 9876 5432"


def published_ad(
    *,
    kind: str = "offer",
    email: str = OWNER_EMAIL,
    name: str = "Ans",
    language: str = "nl",
    through_broker_only: bool = False,
    placed_by_broker=None,  # type: ignore[no-untyped-def]
    phone: str = "",
) -> Ad:
    """A published ad (call inside the neighbourhood's schema)."""
    owner = participant_for_contact(display_name=name, email=email, phone=phone)
    owner.preferred_language = language
    owner.through_broker_only = through_broker_only
    ad = place_ad(
        participant=owner,
        kind=kind,
        title="Ik help met de tuin" if kind == "offer" else "Wie helpt met boodschappen?",
        body="Snoeien en harken, op zaterdag.",
        category=Category.objects.get(slug="tuin"),
        placed_by_broker=placed_by_broker,
    )
    return ad if placed_by_broker is not None else confirm_ad(ad=ad)


def respond_form(**changes: str) -> dict[str, str]:
    data = {
        "display_name": "Bert",
        "email": RESPONDER_EMAIL,
        "phone": "",
        "message": "Ik kan zaterdag helpen met snoeien.",
        "website": "",
    }
    data.update(changes)
    return data


def mails_to(address: str, purpose: str = "") -> list[OutboxMessage]:
    found = OutboxMessage.objects.filter(to=address)
    if purpose:
        found = found.filter(purpose=purpose)
    return list(found.order_by("id"))


def link_in(body: str, path_start: str) -> str:
    """The path of the first link in `body` that starts with `path_start`."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_start) + r"[^\s]*)", body)
    assert match, f"no {path_start} link in the mail"
    return match.group(1)


def participant(email: str) -> Participant:
    return Participant.objects.get(email=email)
