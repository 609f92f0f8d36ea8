"""The owner's reply to a response: the signed reply link, and relaying the reply to the
responder with exactly the contact details the owner chose to share."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.market.models import Response
from tenants.people.services.messages import notify_participant
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from .messages import check_message, render_mail

# The owner's reply link: signed (not stored), bound to this neighbourhood's schema, and
# usable again after replying (it then shows what was passed on).
REPLY_LINK_MAX_AGE = 60 * 60 * 24 * 60  # seconds: 60 days


def _reply_salt() -> str:
    # "market." as when responding lived in the market app: links already mailed stay valid.
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


def _response_to_answer(response: Response) -> Response:
    """The response locked for the reply; a ValidationError when it cannot be answered here."""
    response = (
        Response.objects.select_for_update()
        .select_related("ad__participant", "responder")
        .get(pk=response.pk)
    )
    if response.owner_replied_at is not None:
        raise ValidationError(_("You have already replied to this response."))
    if response.held_for_broker:
        raise ValidationError(_("The broker passes this response on."))
    return response


def _shared_details(response: Response, *, share_email: bool, share_phone: bool) -> dict[str, str]:
    owner = response.ad.participant
    shared = {
        "email": owner.email if share_email else "",
        "phone": owner.phone if share_phone else "",
    }
    if not any(shared.values()):
        raise ValidationError(
            {"share_email": [_("Choose at least one way for them to reach you.")]}
        )
    return shared


def _relay_reply(response: Response, message: str, shared: dict[str, str]) -> None:
    owner, responder = response.ad.participant, response.responder
    neighbourhood = current_neighbourhood()
    language = responder.preferred_language or neighbourhood.default_language
    body = render_mail(
        "responding/mail/reply_relayed.txt",
        language,
        {
            "neighbourhood": neighbourhood,
            "responder_name": responder.display_name,
            "owner_name": owner.display_name,
            "ad": response.ad,
            "message": message,
            **shared,
        },
    )
    with translation.override(language):
        subject = _("%(name)s replied to your response") % {"name": owner.display_name}
    notify_participant(participant=responder, subject=subject, body=body, purpose="market.reply")


@transaction.atomic
def reply_to_response(
    *, response: Response, message: str, share_email: bool, share_phone: bool
) -> Response:
    """The ad's owner answers a response: relay the reply to the responder with the contact
    details the owner chose to share. Replying a second time is refused."""
    response = _response_to_answer(response)
    message = check_message(message)
    shared = _shared_details(response, share_email=share_email, share_phone=share_phone)
    _relay_reply(response, message, shared)
    response.owner_replied_at = timezone.now()
    response.save(update_fields=["owner_replied_at"])
    record_audit_event(
        actor=None,
        action="response.replied",
        target=response,
        detail={"shared_email": bool(shared["email"]), "shared_phone": bool(shared["phone"])},
    )
    return response
