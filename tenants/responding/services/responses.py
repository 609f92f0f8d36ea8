"""Responding to an ad.

A response is relayed to the ad's owner without the responder's address or phone; the owner
answers through a reply link (`replies.py`), choosing which of their own contact details to
pass on. Only then do the two see each other's addresses. For an owner matched only through
the broker (referred or vulnerable) nothing reaches the owner: the response waits for the
broker.

Each response opens a mediation "found each other via the site" (not active), which
schedules the two-week "did it work out?" question (see `outcomes.py`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.market.models import Ad, AdKind, AdStatus, Response
from tenants.mediations.services import start_mediation
from tenants.outbox.services import queue_mail
from tenants.people.models import Participant
from tenants.people.services.messages import notify_participant
from tenants.people.services.participants import participant_for_contact
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.sites import site_url

from .messages import check_message, render_mail
from .replies import reply_token

DISPLAY_NAME_MAX_LENGTH = 80


class OwnAd(ValidationError):
    """Someone tried to respond to their own ad."""


def _mediation_sides(ad: Ad, responder: Participant) -> dict[str, Any]:
    """Who asks and who gives, for a mediation found through a response to `ad`.

    - request: the owner asks, the responder gives;
    - offer: the responder asks, the owner gives;
    - vacancy: the responder (a would-be volunteer) asks for a place, the organisation gives
      it (the model's giving side is a participant or an organisation).
    """
    if ad.kind == AdKind.REQUEST:
        return {"requester": ad.participant, "provider": responder}
    if ad.kind == AdKind.OFFER:
        return {"requester": responder, "provider": ad.participant}
    return {"requester": responder, "organisation": ad.organisation}


def broker_recipients() -> list[User]:
    """The neighbourhood's active brokers; its admins when there is no broker."""
    staff = list(User.objects.filter(role=Role.BROKER, is_active=True).order_by("id"))
    return staff or list(User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id"))


def _tell_brokers(response: Response) -> None:
    """A short mail to the brokers: a response waits for them (no contact details in it)."""
    neighbourhood = current_neighbourhood()
    language = neighbourhood.default_language
    body = render_mail(
        "responding/mail/held_for_broker.txt",
        language,
        {
            "neighbourhood": neighbourhood,
            "response_id": response.pk,
            "ad_id": response.ad_id,
            "link": site_url(neighbourhood, "/broker/"),
        },
    )
    with translation.override(language):
        subject = _("A response waits for you (ad %(ad)s)") % {"ad": response.ad_id}
    for broker in broker_recipients():
        queue_mail(to=broker.email, subject=subject, body=body, purpose="market.response_held")


def _relay_to_owner(response: Response) -> None:
    owner = response.ad.participant
    neighbourhood = current_neighbourhood()
    language = owner.preferred_language or neighbourhood.default_language
    body = render_mail(
        "responding/mail/response_relayed.txt",
        language,
        {
            "neighbourhood": neighbourhood,
            "owner_name": owner.display_name,
            "responder_name": response.responder.display_name,
            "ad": response.ad,
            "message": response.message,
            "link": site_url(neighbourhood, f"/responses/{reply_token(response)}/reply/"),
        },
    )
    with translation.override(language):
        subject = _("A response to your ad “%(title)s”") % {"title": response.ad.title}
    notify_participant(participant=owner, subject=subject, body=body, purpose="market.response")


def _contact_errors(display_name: str, email: str, phone: str) -> dict[str, list[str]]:
    """What is missing from an anonymous responder's name and contact details."""
    errors: dict[str, list[str]] = {}
    if not display_name.strip():
        errors["display_name"] = [_("Tell us your name.")]
    elif len(display_name.strip()) > DISPLAY_NAME_MAX_LENGTH:
        errors["display_name"] = [_("Keep your name under 80 characters.")]
    if not email.strip() and not phone.strip():
        errors["email"] = [_("Give an e-mail address or a phone number.")]
    return errors


def _anonymous_responder(
    *, display_name: str, email: str, phone: str, language: str
) -> Participant:
    """The participant with this e-mail address (or phone), or a new one, saved."""
    responder = participant_for_contact(display_name=display_name, email=email, phone=phone)
    if responder.pk is None:
        responder.preferred_language = language or translation.get_language() or "nl"
        try:
            responder.full_clean()
        except ValidationError as error:
            raise ValidationError(
                {k: v for k, v in error.message_dict.items() if k in ("email", "phone")}
                or {"email": [_("Check your e-mail address or phone number.")]}
            ) from error
        responder.save()
    return responder


def _checked_message_and_responder(
    *,
    message: str,
    display_name: str,
    email: str,
    phone: str,
    signed_in: Participant | None,
    language: str,
) -> tuple[str, Participant]:
    """The message and who sends it, with every field error at once."""
    errors: dict[str, list[str]] = {}
    try:
        message = check_message(message)
    except ValidationError as error:
        errors.update(error.message_dict)
    if signed_in is None:
        errors.update(_contact_errors(display_name, email, phone))
    if errors:
        raise ValidationError(errors)
    if signed_in is not None:
        return message, signed_in
    responder = _anonymous_responder(
        display_name=display_name, email=email, phone=phone, language=language
    )
    return message, responder


@transaction.atomic
def respond_to_ad(
    *,
    ad: Ad,
    display_name: str,
    email: str = "",
    phone: str = "",
    message: str,
    signed_in: Participant | None = None,
    language: str = "",
) -> Response:
    """Store a response to a published ad, relay it to the owner (or hold it for the broker)
    and open a mediation "found each other via the site".

    `signed_in` is the visitor's participant when they are signed in: they respond as
    themselves. Otherwise the participant is found by e-mail address (or phone) or created.
    Raises OwnAd (a ValidationError) for a response to one's own ad.
    """
    ad = Ad.objects.select_related("participant", "organisation").get(pk=ad.pk)
    if ad.status != AdStatus.PUBLISHED:
        raise ValidationError(_("This ad is no longer on the site."))
    message, responder = _checked_message_and_responder(
        message=message,
        display_name=display_name,
        email=email,
        phone=phone,
        signed_in=signed_in,
        language=language,
    )
    if responder.pk == ad.participant_id:
        raise OwnAd({"message": [_("This is your own ad.")]}, code="own_ad")
    held = ad.participant.through_broker_only
    response = Response.objects.create(
        ad=ad, responder=responder, message=message, held_for_broker=held, relayed_at=timezone.now()
    )
    if held:
        _tell_brokers(response)
    else:
        _relay_to_owner(response)
    start_mediation(active=False, ads=[ad], response=response, **_mediation_sides(ad, responder))
    record_audit_event(
        actor=None, action="response.created", target=response, detail={"held": held}
    )
    return response


@transaction.atomic
def mark_response_seen(*, response: Response, by: Any) -> Response:
    """The broker has taken a held response in hand."""
    if response.seen_by_broker_at is None:
        response.seen_by_broker_at = timezone.now()
        response.save(update_fields=["seen_by_broker_at"])
        record_audit_event(actor=by, action="response.seen", target=response)
    return response
