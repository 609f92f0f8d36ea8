"""Responding to an ad, and the owner's reply.

A response is relayed to the ad's owner without the responder's address or phone; the owner
answers through a reply link, choosing which of their own contact details to pass on. Only
then do the two see each other's addresses. For an owner matched only through the broker
(referred or vulnerable) nothing reaches the owner: the response waits for the broker.

Each response opens a mediation "found each other via the site" (not active), which
schedules the two-week "did it work out?" question (see `outcomes.py`).
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.mediations.services import start_mediation
from tenants.outbox.services import queue_mail
from tenants.people.models import Participant
from tenants.people.services.messages import notify_participant
from tenants.people.services.participants import participant_for_contact
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood, site_url

from ..models import Ad, AdKind, AdStatus, Response

MESSAGE_MAX_LENGTH = 2000
# The owner's reply link: signed (not stored), bound to this neighbourhood's schema, and
# usable again after replying (it then shows what was passed on).
REPLY_LINK_MAX_AGE = 60 * 60 * 24 * 60  # seconds: 60 days


class OwnAd(ValidationError):
    """Someone tried to respond to their own ad."""


def _reply_salt() -> str:
    return f"market.reply:{connection.schema_name}"


def reply_token(response: Response) -> str:
    """The token of the owner's reply link for `response` (valid for 60 days)."""
    return signing.dumps({"r": response.pk}, salt=_reply_salt())


def response_id_for_reply_token(token: str) -> int | None:
    """The response a reply token names, or None when it is forged, expired or from another
    neighbourhood."""
    try:
        data = signing.loads(token, salt=_reply_salt(), max_age=REPLY_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    value = data.get("r") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def _check_message(message: str, field: str = "message") -> str:
    message = message.strip()
    if not message:
        raise ValidationError({field: [_("Write a short message.")]})
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                field: [
                    _("Keep your message under %(max)d characters.") % {"max": MESSAGE_MAX_LENGTH}
                ]
            }
        )
    return message


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


def _render_mail(template: str, language: str, context: dict[str, Any]) -> str:
    with translation.override(language):
        return render_to_string(template, context)


def broker_recipients() -> list[User]:
    """The neighbourhood's active brokers; its admins when there is no broker."""
    staff = list(User.objects.filter(role=Role.BROKER, is_active=True).order_by("id"))
    return staff or list(User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id"))


def _tell_brokers(response: Response) -> None:
    """A short mail to the brokers: a response waits for them (no contact details in it)."""
    neighbourhood = current_neighbourhood()
    language = neighbourhood.default_language
    body = _render_mail(
        "market/mail/held_for_broker.txt",
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
    body = _render_mail(
        "market/mail/response_relayed.txt",
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
    errors: dict[str, list[str]] = {}
    if ad.status != AdStatus.PUBLISHED:
        raise ValidationError(_("This ad is no longer on the site."))
    try:
        message = _check_message(message)
    except ValidationError as error:
        errors.update(error.message_dict)
    if signed_in is not None:
        responder = signed_in
    else:
        if not display_name.strip():
            errors["display_name"] = [_("Tell us your name.")]
        elif len(display_name.strip()) > 80:
            errors["display_name"] = [_("Keep your name under 80 characters.")]
        if not email.strip() and not phone.strip():
            errors["email"] = [_("Give an e-mail address or a phone number.")]
        if errors:
            raise ValidationError(errors)
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
    if errors:
        raise ValidationError(errors)
    if responder.pk == ad.participant_id:
        raise OwnAd({"message": [_("This is your own ad.")]}, code="own_ad")
    now = timezone.now()
    held = ad.participant.through_broker_only
    response = Response.objects.create(
        ad=ad, responder=responder, message=message, held_for_broker=held, relayed_at=now
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
def reply_to_response(
    *, response: Response, message: str, share_email: bool, share_phone: bool
) -> Response:
    """The ad's owner answers a response: relay the reply to the responder with the contact
    details the owner chose to share. Replying a second time is refused."""
    response = (
        Response.objects.select_for_update()
        .select_related("ad__participant", "responder")
        .get(pk=response.pk)
    )
    if response.owner_replied_at is not None:
        raise ValidationError(_("You have already replied to this response."))
    if response.held_for_broker:
        raise ValidationError(_("The broker passes this response on."))
    message = _check_message(message)
    owner, responder = response.ad.participant, response.responder
    shared_email = owner.email if share_email else ""
    shared_phone = owner.phone if share_phone else ""
    if not shared_email and not shared_phone:
        raise ValidationError(
            {"share_email": [_("Choose at least one way for them to reach you.")]}
        )
    neighbourhood = current_neighbourhood()
    language = responder.preferred_language or neighbourhood.default_language
    body = _render_mail(
        "market/mail/reply_relayed.txt",
        language,
        {
            "neighbourhood": neighbourhood,
            "responder_name": responder.display_name,
            "owner_name": owner.display_name,
            "ad": response.ad,
            "message": message,
            "email": shared_email,
            "phone": shared_phone,
        },
    )
    with translation.override(language):
        subject = _("%(name)s replied to your response") % {"name": owner.display_name}
    notify_participant(participant=responder, subject=subject, body=body, purpose="market.reply")
    response.owner_replied_at = timezone.now()
    response.save(update_fields=["owner_replied_at"])
    record_audit_event(
        actor=None,
        action="response.replied",
        target=response,
        detail={"shared_email": bool(shared_email), "shared_phone": bool(shared_phone)},
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
