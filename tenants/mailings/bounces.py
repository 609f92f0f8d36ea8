"""Hard bounces and complaints: an address mail no longer reaches gets no more bulk mail.

Two ways in, one mark (`mark_undeliverable`):

- a 5xx refusal of the recipient at sending, of any mail (newsletter, digest, a transactional
  one): the outbox calls the `recipient_refused` hook, `refused_at_sending` here;
- a bounce or complaint that arrives later by mail at a bounce address:
  `record_bounce_message` reads it (bounce_reports.py), finds the message it is about by
  the VERP token in the address it came to or by the original's Message-ID
  (tenants/outbox/verp.py), and in that message's neighbourhood marks the message bounced
  (the newsletter's page counts it) and its address undeliverable. The pipe command
  `receive_bounce` and the beat job `mailings.read_bounce_mailbox` (a Maildir,
  `MAIL_BOUNCES_MAILDIR`) both call it.

Reading a report twice changes nothing the second time. A forged or altered token, or a
Message-ID that is not one of ours, names no message: nothing happens. Logs name the
schema, the outbox message's id and the outcome, never an address.
"""

from __future__ import annotations

import logging
import mailbox
import os
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django_tenants.utils import tenant_context

from tenants.audit.services import record_audit_event
from tenants.outbox.models import OutboxMessage
from tenants.outbox.refusals import mark_bounced
from tenants.outbox.verp import read_message_id, token_in
from tijdvoorelkaar.contributions import hooks
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .bounce_reports import BOUNCE, Report, read_report
from .models import Subscriber, SubscriberStatus

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 10 * 1024 * 1024  # a report quoting a whole newsletter is ~100 kB


@dataclass(frozen=True)
class BounceOutcome:
    """What reading one bounce mail did: `kind` is "bounce" or "complaint" when it named one
    of our messages, else "ignored" with the reason in `detail`."""

    kind: str
    detail: str = ""
    schema_name: str = ""
    changed: int = 0  # subscriptions and choices stopped now (0 when read before)


REASON_LENGTH = Subscriber._meta.get_field("undeliverable_reason").max_length


def mark_undeliverable(*, emails: list[str], reason: str) -> int:
    """Hard bounces and complaints: these addresses get no more newsletters, and the apps'
    `undeliverable` hooks stop what else they send in bulk (outreach: the digest). Returns
    how many subscriptions and choices this stopped; marking again stops nothing."""
    emails = sorted({address.strip().lower() for address in emails if address})
    changed = Subscriber.objects.filter(email__in=emails).exclude(
        status=SubscriberStatus.UNDELIVERABLE
    )
    ids = list(changed.values_list("pk", flat=True))
    changed.update(
        status=SubscriberStatus.UNDELIVERABLE, undeliverable_reason=reason[:REASON_LENGTH]
    )
    if ids:
        record_audit_event(
            actor=None,
            action="mailings.undeliverable",
            detail={"subscribers": ids[:200], "reason": reason[:80]},
        )
    stopped = sum(hook(emails=emails, reason=reason) for hook in hooks("undeliverable"))
    return len(ids) + stopped


def refused_at_sending(*, email: str) -> None:
    mark_undeliverable(emails=[email], reason="refused by the mail server")


def record_bounce_message(raw: bytes, envelope_recipient: str | None = None) -> BounceOutcome:
    """Read one mail that came to a bounce address (`envelope_recipient`: the address it
    was delivered to, when the caller knows it) and act on it in its neighbourhood. Database
    errors propagate: the caller keeps the mail and tries again later."""
    if len(raw) > MAX_MESSAGE_BYTES:
        return _ignored("too large")
    report = read_report(raw, envelope_recipient or "")
    if report is None:
        return _ignored("not a hard bounce or complaint")
    found = _message_named_by(report)
    if found is None:
        return _ignored(f"{report.kind} naming no message of ours")
    neighbourhood, which = found
    with tenant_context(neighbourhood), transaction.atomic():
        message = OutboxMessage.objects.filter(which).first()
        if message is None:
            return _ignored(f"{report.kind} for an unknown message", neighbourhood.schema_name)
        if report.kind == BOUNCE:
            mark_bounced(message=message, status=report.code)
            reason = f"bounce report {report.code}"
        else:
            reason = f"complaint ({report.code})"
        changed = mark_undeliverable(emails=[message.to], reason=reason)
    logger.info(
        "%s %s for outbox message %s in %s: %s stopped",
        report.kind,
        report.code,
        message.pk,
        neighbourhood.schema_name,
        changed,
    )
    return BounceOutcome(report.kind, report.code, neighbourhood.schema_name, changed)


def _ignored(why: str, schema_name: str = "") -> BounceOutcome:
    logger.info("bounce mail ignored: %s", why)
    return BounceOutcome("ignored", why, schema_name)


def _message_named_by(report: Report) -> tuple[Neighbourhood, Q] | None:
    """The neighbourhood and the outbox row the report is about: by a VERP token whose
    signature holds for that neighbourhood, else by the original's Message-ID."""
    for address in report.addresses:
        token = token_in(address)
        if token is None:
            continue
        neighbourhood = Neighbourhood.objects.filter(pk=token.neighbourhood_id).first()
        if neighbourhood is not None and token.holds_for(neighbourhood.schema_name):
            return neighbourhood, Q(pk=token.message_id)
        logger.warning("bounce mail with a token that does not verify")
    for value in report.message_ids:
        found = read_message_id(value)
        if found is None:
            continue
        schema_name, message_uuid = found
        neighbourhood = Neighbourhood.objects.filter(schema_name=schema_name).first()
        if neighbourhood is not None:
            return neighbourhood, Q(message_id=message_uuid)
    return None


# --- the Maildir --------------------------------------------------------------------------


def read_bounce_maildir(
    path: str | None = None, *, limit: int = 2000, budget_seconds: float = 200.0
) -> int:
    """Read the new mail in the Maildir `path` (default `MAIL_BOUNCES_MAILDIR`; empty: off),
    at most `limit` messages or `budget_seconds`. A message read is deleted (handled or
    ignored alike: nothing in it is needed afterwards, and it holds addresses); one that
    raised moves to `cur/` flagged, for an operator, and is not read again; after a
    database error the rest waits in `new/` for the next run. Returns how many were read."""
    path = settings.MAIL_BOUNCES_MAILDIR if path is None else path
    if not path:
        return 0
    box = mailbox.Maildir(path, factory=None, create=False)
    started, read = time.monotonic(), 0
    for name in sorted(os.listdir(Path(path, "new")))[:limit]:
        if time.monotonic() - started > budget_seconds:
            break
        key = name.split(box.colon, 1)[0]
        try:
            raw = box.get_bytes(key)
        except (KeyError, FileNotFoundError):
            continue  # another run took it
        try:
            record_bounce_message(raw)
        except DatabaseError:
            raise  # the database is away: this one and the rest stay new
        except Exception:  # noqa: BLE001 - one bad mail must not stop the others
            logger.exception("bounce mail %s could not be read; moved to cur/", key)
            _set_aside(box, key)
            continue
        box.discard(key)
        read += 1
    return read


def _set_aside(box: mailbox.Maildir, key: str) -> None:
    message = box.get_message(key)
    message.set_subdir("cur")
    message.add_flag("F")
    box[key] = message
