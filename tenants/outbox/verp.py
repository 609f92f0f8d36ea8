"""Which message a bounce is about: a VERP envelope sender per message, and a Message-ID
that names the neighbourhood.

A newsletter or digest goes out with the envelope sender `local+TOKEN@domain`, made from the
neighbourhood's bounce address `local@domain`; mail servers send a bounce to that address,
so the bounce says which message failed even when its report is incomplete. The token is
`<neighbourhood id>-<message id>-<signature>` (base 36, then 16 base-32 characters of an
HMAC salted with SECRET_KEY over the schema and both ids): about 25 characters, lowercase
(some servers fold the case of local parts), without dots (Gmail drops them), so the local
part stays under SMTP's 64. A token cannot be made without SECRET_KEY, and one of another
neighbourhood's messages never verifies against this one's schema: a forged or altered one
names nothing. A recipient sees their own token (the `Return-Path` of their copy) and can
make it bounce their own address only.

Every message also carries `Message-ID: <uuid@schema.tijdvoorelkaar>`: for reports that
reach the bounce address without the token (VERP off, a server that drops the `+…`, a
complaint sent elsewhere), the original's Message-ID, quoted by nearly every report, names
the neighbourhood and a row no one can guess.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db import connection
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36

SALT = "outbox.verp"
_TOKEN = re.compile(r"\+([0-9a-z]{1,13})-([0-9a-z]{1,13})-([a-z2-7]{16})@", re.IGNORECASE)
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_MESSAGE_ID = re.compile(rf"<({_UUID})@([a-z0-9_]+)\.tijdvoorelkaar>", re.IGNORECASE)


@dataclass(frozen=True)
class VerpToken:
    """What a VERP address names: a neighbourhood and one outbox message in it."""

    neighbourhood_id: int
    message_id: int
    signature: str

    def holds_for(self, schema_name: str) -> bool:
        """Whether the signature was made for this message in the schema `schema_name`."""
        expected = _signature(schema_name, self.neighbourhood_id, self.message_id)
        return constant_time_compare(expected, self.signature)


def _signature(schema_name: str, neighbourhood_id: int, message_id: int) -> str:
    digest = salted_hmac(SALT, f"{schema_name}:{neighbourhood_id}:{message_id}").digest()
    return base64.b32encode(digest).decode()[:16].lower()


def envelope_sender(bounce_address: str, message_id: int) -> str:
    """The envelope sender of message `message_id` of this schema: the bounce address with
    the message's token (`MAIL_BOUNCE_VERP`, on by default), or the bare bounce address; ""
    without a bounce address (the caller then uses DEFAULT_FROM_EMAIL)."""
    neighbourhood_id = getattr(connection.tenant, "pk", None)
    if not bounce_address or "@" not in bounce_address:
        return ""
    if not settings.MAIL_BOUNCE_VERP or not neighbourhood_id:
        return bounce_address
    local, _at, domain = bounce_address.rpartition("@")
    signature = _signature(connection.schema_name, neighbourhood_id, message_id)
    token = f"{int_to_base36(neighbourhood_id)}-{int_to_base36(message_id)}-{signature}"
    return f"{local}+{token}@{domain}"


def token_in(address: str) -> VerpToken | None:
    """The token in an address such as `bounces+3-1z-abcdefghijklmnop@example.org` (the
    last `+…` before the `@`), unchecked: verify it with `holds_for`."""
    # the last one: the bounce address's own local part may hold a `+` too
    matches = list(_TOKEN.finditer(address or ""))
    if not matches:
        return None
    neighbourhood, message, signature = (part.lower() for part in matches[-1].groups())
    return VerpToken(base36_to_int(neighbourhood), base36_to_int(message), signature)


def message_id_header(message_uuid: UUID, schema_name: str | None = None) -> str:
    """The Message-ID of an outbox message: fixed (a resend after a crash is recognisable as
    the same mail) and naming its neighbourhood's schema."""
    return f"<{message_uuid}@{schema_name or connection.schema_name}.tijdvoorelkaar>"


def read_message_id(value: str) -> tuple[str, UUID] | None:
    """(schema, uuid) from a Message-ID made by `message_id_header`, or None."""
    found = _MESSAGE_ID.search(value or "")
    if found is None:
        return None
    return found.group(2).lower(), UUID(found.group(1))
