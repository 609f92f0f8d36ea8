"""Bounce mail that arrives later at a bounce address: a hard bounce or complaint marks the
address of the message it names, in that message's neighbourhood only, once; forged tokens,
soft bounces and auto-replies do nothing. Both ways in (the pipe command, the Maildir job)."""

from __future__ import annotations

import io
import mailbox
import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.utils.http import int_to_base36
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.mailings import drafts, services
from tenants.mailings.bounces import read_bounce_maildir, record_bounce_message
from tenants.mailings.models import Subscriber
from tenants.mailings.tasks import read_bounce_mailbox
from tenants.outbox.models import OutboxMessage
from tenants.outbox.services import _email_for, batch_counts, queue_mail
from tenants.outbox.verp import message_id_header
from tenants.outreach.digest import send_digests, set_digest_preference
from tenants.outreach.models import DigestPreference
from tests.support import factories
from tests.support.bounces import bounce_mail
from tests.support.processes import database_url
from tests.tenants.mailings.sending import draft as _newsletter
from tests.tenants.mailings.sending import send as _send
from tests.tenants.mailings.sending import subscribed as _active

pytestmark = pytest.mark.django_db

BOUNCES = "bounces@wijk.example"
ROOT = Path(__file__).resolve().parents[3]
_RECORD = "tenants.mailings.bounces.record_bounce_message"


def _with_bounce_address(place) -> None:  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        services.update_mailing_settings(changes={"bounce_address": BOUNCES}, by=place.admin.user)


def _sent_newsletter(place, *addresses: str):  # type: ignore[no-untyped-def]
    """A newsletter sent (through the outbox) to `addresses`: it and its rows by address."""
    for address in addresses:
        _active(place, address)
    newsletter = _newsletter(place)
    _send(place, newsletter)
    with tenant_context(place.neighbourhood):
        newsletter.refresh_from_db()
        rows = {row.to: row for row in OutboxMessage.objects.filter(batch=newsletter.batch)}
    return newsletter, rows


def _envelope_and_id(place, row) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The envelope sender and Message-ID `row` went out with."""
    with tenant_context(place.neighbourhood):
        return _email_for(row, row.batch).from_email, message_id_header(row.message_id)


def _report_on(place, row, sample: str = "postfix_user_unknown") -> bytes:  # type: ignore[no-untyped-def]
    """The sample report about `row` as it went out: delivered to its envelope sender."""
    envelope, message_id = _envelope_and_id(place, row)
    return bounce_mail(
        sample,
        bounce_to=envelope,
        envelope_sender=envelope,
        message_id=message_id,
        recipient=row.to,
    )


def _status(place, address: str) -> str:  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return Subscriber.objects.get(email=address).status


def test_a_hard_bounce_marks_the_address_counts_as_bounced_and_a_second_read_does_nothing(
    cast,
) -> None:
    _with_bounce_address(cast.a)
    newsletter, rows = _sent_newsletter(cast.a, "weg@example.org", "blijft@example.org")

    outcome = record_bounce_message(_report_on(cast.a, rows["weg@example.org"]))

    assert (outcome.kind, outcome.detail, outcome.schema_name) == (
        "bounce",
        "5.1.1",
        cast.a.neighbourhood.schema_name,
    )
    assert outcome.changed == 1
    assert _status(cast.a, "weg@example.org") == "undeliverable"
    assert _status(cast.a, "blijft@example.org") == "active"
    with tenant_context(cast.a.neighbourhood):
        assert Subscriber.objects.get(email="weg@example.org").undeliverable_reason == (
            "bounce report 5.1.1"
        )
        assert batch_counts(newsletter.batch) == {
            "queued": 0,
            "sent": 1,
            "failed": 0,
            "bounced": 1,
        }
        assert AuditEvent.objects.filter(action="mailings.undeliverable").count() == 1
    # the same report again (a mail server delivered it twice): nothing more happens
    again = record_bounce_message(_report_on(cast.a, rows["weg@example.org"]))
    assert (again.kind, again.changed) == ("bounce", 0)
    with tenant_context(cast.a.neighbourhood):
        assert AuditEvent.objects.filter(action="mailings.undeliverable").count() == 1
        assert batch_counts(newsletter.batch)["bounced"] == 1


def test_a_complaint_sent_to_the_feedback_address_marks_the_address(cast) -> None:
    _with_bounce_address(cast.a)
    _newsletter_, rows = _sent_newsletter(cast.a, "klaagt@example.org")
    raw = _report_on(cast.a, rows["klaagt@example.org"], "yahoo_abuse_report")

    outcome = record_bounce_message(raw, envelope_recipient="fbl@wijk.example")

    assert (outcome.kind, outcome.detail) == ("complaint", "abuse")
    with tenant_context(cast.a.neighbourhood):
        subscriber = Subscriber.objects.get(email="klaagt@example.org")
        assert (subscriber.status, subscriber.undeliverable_reason) == (
            "undeliverable",
            "complaint (abuse)",
        )
        # it was delivered: a complaint is no bounce
        assert OutboxMessage.objects.get(pk=rows["klaagt@example.org"].pk).status == "sent"


def test_without_verp_the_original_message_id_finds_the_message(cast, settings) -> None:
    settings.MAIL_BOUNCE_VERP = False
    _with_bounce_address(cast.a)
    _newsletter_, rows = _sent_newsletter(cast.a, "weg@example.org")
    raw = _report_on(cast.a, rows["weg@example.org"], "exchange_recipient_not_found")
    assert b"bounces+" not in raw  # nothing but the Message-ID says which message it was

    outcome = record_bounce_message(raw, envelope_recipient=BOUNCES)

    assert (outcome.kind, outcome.detail) == ("bounce", "5.1.10")
    assert _status(cast.a, "weg@example.org") == "undeliverable"


def test_forged_or_altered_tokens_and_unknown_message_ids_mark_no_one(cast) -> None:
    _with_bounce_address(cast.a)
    _newsletter_, rows = _sent_newsletter(cast.a, "weg@example.org", "ander@example.org")
    genuine = _report_on(cast.a, rows["weg@example.org"]).decode()
    envelope, own_id = _envelope_and_id(cast.a, rows["weg@example.org"])
    local, domain = envelope.split("@")
    n, m, signature = local.split("+")[1].split("-")
    other, b = int_to_base36(rows["ander@example.org"].pk), int_to_base36(cast.b.neighbourhood.pk)
    altered = {
        "signature": f"bounces+{n}-{m}-{'z' * 16}@{domain}",
        # a token of one message with another's id: the signature no longer holds
        "message": f"bounces+{n}-{other}-{signature}@{domain}",
        "neighbourhood": f"bounces+{b}-{m}-{signature}@{domain}",
    }
    for why, forged in altered.items():
        raw = genuine.replace(envelope, forged).replace(own_id, "<made-up@example.org>")
        outcome = record_bounce_message(raw.encode())
        assert outcome.kind == "ignored", why
    # a Message-ID naming a schema, with a message that is not there
    made_up = own_id.replace(own_id[1:9], "00000000")
    raw = genuine.replace(envelope, BOUNCES).replace(own_id, made_up)
    assert record_bounce_message(raw.encode()).kind == "ignored"
    assert _status(cast.a, "weg@example.org") == "active"
    assert _status(cast.a, "ander@example.org") == "active"


def test_a_bounce_for_a_never_touches_b(cast) -> None:
    # Given the same address subscribed in both neighbourhoods, and A's newsletter bounced
    for place in (cast.a, cast.b):
        _with_bounce_address(place)
    _newsletter_, rows = _sent_newsletter(cast.a, "beide@example.org")
    raw = _report_on(cast.a, rows["beide@example.org"])
    _active(cast.b, "beide@example.org")

    # When the report is read, and again with B's schema put in its Message-ID
    record_bounce_message(raw)
    envelope, own_id = _envelope_and_id(cast.a, rows["beide@example.org"])
    moved = own_id.replace(cast.a.neighbourhood.schema_name, cast.b.neighbourhood.schema_name)
    to_b = raw.decode().replace(envelope, BOUNCES).replace(own_id, moved)
    assert record_bounce_message(to_b.encode()).kind == "ignored"

    # Then A's subscriber is marked, B's is not
    assert _status(cast.a, "beide@example.org") == "undeliverable"
    assert _status(cast.b, "beide@example.org") == "active"


@pytest.mark.parametrize(
    "sample",
    [
        "exim_delayed",
        "exim_gave_up_4xx",
        "dmarc_auth_failure",
        "vacation_reply",
        "qmail_plain_bounce",
    ],
)
def test_soft_bounces_other_reports_and_auto_replies_change_nothing(cast, sample) -> None:  # type: ignore[no-untyped-def]
    _with_bounce_address(cast.a)
    _newsletter_, rows = _sent_newsletter(cast.a, "weg@example.org")
    # with a genuine token: only what the mail says decides
    outcome = record_bounce_message(_report_on(cast.a, rows["weg@example.org"], sample))
    assert outcome.kind == "ignored"
    assert _status(cast.a, "weg@example.org") == "active"


def test_a_digest_goes_out_with_the_token_and_its_bounce_stops_digest_and_newsletter(
    cast,
) -> None:
    _with_bounce_address(cast.a)
    with tenant_context(cast.a.neighbourhood):
        reader = factories.participant("Lezer", email="lezer@example.org")
        set_digest_preference(participant=reader, frequency="weekly", by=None)
        factories.broker_ad(factories.participant("Ans"), "offer", "Samen koken", "Graag.")
        assert send_digests(frequency="weekly") == 1
        row = OutboxMessage.objects.get(to="lezer@example.org", purpose="digest")
        sent = _email_for(row, None)
    assert sent.from_email.startswith("bounces+") and sent.from_email.endswith("@wijk.example")
    assert sent.message()["From"].endswith("<noreply@tijdvoorelkaar.nl>")  # the header From
    _active(cast.a, "lezer@example.org")

    outcome = record_bounce_message(_report_on(cast.a, row, "gmail_no_such_user"))

    assert outcome.changed == 2  # the newsletter and the digest
    assert _status(cast.a, "lezer@example.org") == "undeliverable"
    with tenant_context(cast.a.neighbourhood):
        assert DigestPreference.objects.get(participant=reader).frequency == "never"
        assert AuditEvent.objects.filter(action="digest.undeliverable").count() == 1
        later = row.created_at + timedelta(days=8)
        factories.broker_ad(factories.participant("Bep"), "request", "Hulp bij koken", "Graag.")
        assert send_digests(frequency="weekly", now=later) == 0


def test_any_mail_goes_out_with_the_token_and_its_later_bounce_marks_the_address(
    cast,
) -> None:
    """Not only bulk mail: a mail a service sends one at a time (an invitation, a
    confirmation) gets the neighbourhood's bounce address too, so a dead address found
    that way stops the newsletter as well."""
    with tenant_context(cast.a.neighbourhood):
        before = queue_mail(to="nieuw@example.org", subject="Welkom", body="Hallo", purpose="t")
    assert "bounces+" not in _email_for(before, None).from_email  # none set yet
    _with_bounce_address(cast.a)
    _active(cast.a, "nieuw@example.org")
    with tenant_context(cast.a.neighbourhood):
        row = queue_mail(to="nieuw@example.org", subject="Welkom", body="Hallo", purpose="t")
        sent = _email_for(row, None)
        OutboxMessage.objects.filter(pk=row.pk).update(status="sent")
    assert sent.from_email.startswith("bounces+") and sent.from_email.endswith("@wijk.example")

    outcome = record_bounce_message(_report_on(cast.a, row, "exchange_recipient_not_found"))

    assert (outcome.kind, outcome.changed) == ("bounce", 1)
    assert _status(cast.a, "nieuw@example.org") == "undeliverable"
    with tenant_context(cast.a.neighbourhood):
        assert OutboxMessage.objects.get(pk=row.pk).status == "failed"


# --- the pipe command ---------------------------------------------------------------------


def test_the_pipe_command_reads_stdin_and_exits_0_or_75_for_a_retry(cast, monkeypatch) -> None:
    _with_bounce_address(cast.a)
    _newsletter_, rows = _sent_newsletter(cast.a, "weg@example.org", "later@example.org")
    # the report reached the bare address; the mail server says where it was delivered
    with tenant_context(cast.a.neighbourhood):
        row = rows["weg@example.org"]
        envelope = _email_for(row, row.batch).from_email
    raw = bounce_mail("exchange_recipient_not_found", bounce_to=BOUNCES, recipient=row.to)
    monkeypatch.setenv("RECIPIENT", envelope)
    out = io.StringIO()
    call_command("receive_bounce", stdin=io.BytesIO(raw), stdout=out)
    assert out.getvalue().strip() == f"bounce 5.1.10 {cast.a.neighbourhood.schema_name}"
    assert _status(cast.a, "weg@example.org") == "undeliverable"

    # a mail to ignore ends as well (exit status 0: the server must not bounce it back)
    call_command("receive_bounce", stdin=io.BytesIO(b"Subject: hallo\n\nhoi"), stdout=out)

    # the database is away: exit status 75, the mail server keeps the mail and retries
    later = _report_on(cast.a, rows["later@example.org"])
    with mock.patch(
        "tenants.mailings.bounces.tenant_context", side_effect=OperationalError("gone")
    ):
        with pytest.raises(SystemExit) as stopped:
            call_command(
                "receive_bounce", stdin=io.BytesIO(later), stdout=out, stderr=io.StringIO()
            )
    assert stopped.value.code == 75
    assert _status(cast.a, "later@example.org") == "active"


def test_a_real_pipe_gets_exit_status_0_or_75() -> None:
    # The command as the mail server runs it: its own process, the mail on stdin.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tijdvoorelkaar.settings.test",
        "TVE_NO_BOOTSTRAP": "1",
        "REDIS_URL": "redis://127.0.0.1:9/0",  # never used
        "DATABASE_URL": database_url(),
    }
    command = [sys.executable, str(ROOT / "manage.py"), "receive_bounce"]
    auto_reply = bounce_mail("vacation_reply")
    done = subprocess.run(command, input=auto_reply, env=env, capture_output=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, b"ignored not a hard bounce or complaint")

    # a database that cannot be reached: 75, so that the mail server tries again later
    env["DATABASE_URL"] = f"postgresql://nobody@127.0.0.1:{_closed_port()}/none"
    token = "bounces+1-2-abcdefghijklmnop@wijk.example"
    report = bounce_mail("postfix_user_unknown", bounce_to=token, envelope_sender=token)
    done = subprocess.run(command, input=report, env=env, capture_output=True, timeout=120)
    assert done.returncode == 75, done.stderr[-2000:]
    assert b"temporary failure: OperationalError" in done.stderr


def _closed_port() -> int:
    with socket.socket() as probe:  # bound, never listening: connections are refused
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the Maildir --------------------------------------------------------------------------


def test_the_maildir_job_reads_each_mail_once(cast, settings, tmp_path) -> None:
    _with_bounce_address(cast.a)
    _newsletter_, rows = _sent_newsletter(cast.a, "een@example.org", "twee@example.org")
    box = mailbox.Maildir(tmp_path / "bounces", create=True)
    box.add(_report_on(cast.a, rows["een@example.org"]))
    box.add(bounce_mail("vacation_reply"))
    settings.MAIL_BOUNCES_MAILDIR = ""
    assert read_bounce_mailbox.apply().get() == 0  # off: nothing read

    settings.MAIL_BOUNCES_MAILDIR = str(tmp_path / "bounces")
    assert read_bounce_mailbox.apply().get() == 2
    assert read_bounce_mailbox.apply().get() == 0  # nothing is read twice
    assert list(box.keys()) == []  # read mail is deleted: it holds addresses
    assert _status(cast.a, "een@example.org") == "undeliverable"

    # a mail that makes the reading fail (a bug) is set aside, flagged, and not read again
    broken = box.add(b"Subject: kapot\n\n")
    with mock.patch(_RECORD, side_effect=ValueError("bug")):
        assert read_bounce_maildir() == 0
    assert box.get_message(broken).get_subdir() == "cur"
    assert "F" in box.get_message(broken).get_flags()
    # with the database away the mail stays new, and is read on the next run
    waiting = box.add(_report_on(cast.a, rows["twee@example.org"]))
    with mock.patch(_RECORD, side_effect=OperationalError("gone")):
        with pytest.raises(OperationalError):
            read_bounce_maildir()
    assert box.get_message(waiting).get_subdir() == "new"
    assert read_bounce_maildir() == 1
    assert list(box.keys()) == [broken]
    assert _status(cast.a, "twee@example.org") == "undeliverable"


# --- the newsletter's envelope on the wire, and the whole way round ----------------------


def test_a_bounced_subscriber_gets_no_next_newsletter(cast, settings, smtp_sink) -> None:
    # Given a newsletter sent over SMTP to two subscribers
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        smtp_sink.port,
        5,
    )
    _with_bounce_address(cast.a)
    first, rows = _sent_newsletter(cast.a, "weg@example.org", "blijft@example.org")
    with tenant_context(cast.a.neighbourhood):
        ids = {to: message_id_header(row.message_id) for to, row in rows.items()}
    assert set(ids.values()) <= set(smtp_sink.message_ids)
    # each went out with its own VERP envelope sender, as the mail server received it
    envelope = smtp_sink.envelope_senders[ids["weg@example.org"]]
    assert envelope.startswith("bounces+") and envelope.endswith("@wijk.example")
    assert envelope != smtp_sink.envelope_senders[ids["blijft@example.org"]]

    # When the recipient's server bounces it to that address (a report without the
    # original's headers: the address alone says which message it was)
    report = bounce_mail("postfix_user_unknown", bounce_to=envelope, recipient="weg@example.org")
    report = report.replace(ids["weg@example.org"].encode(), b"<elders@example.org>")
    record_bounce_message(report, envelope_recipient=envelope)

    # Then the subscriber is undeliverable, the first newsletter counts the bounce, and the
    # next newsletter goes to the other subscriber only
    assert _status(cast.a, "weg@example.org") == "undeliverable"
    with tenant_context(cast.a.neighbourhood):
        assert batch_counts(first.batch)["bounced"] == 1
        month = (first.issue_month + timedelta(days=32)).replace(day=1)
        second = drafts.assemble_newsletter(month=month, by=cast.a.broker.user)
        second = drafts.update_newsletter(
            newsletter=second, changes={"intro": "Nummer twee"}, by=cast.a.broker.user
        )
    received_before = len(smtp_sink.message_ids)
    _send(cast.a, second)
    with tenant_context(cast.a.neighbourhood):
        second.refresh_from_db()
        assert second.recipients == 1
        assert [row.to for row in OutboxMessage.objects.filter(batch=second.batch)] == [
            "blijft@example.org"
        ]
    assert len(smtp_sink.message_ids) == received_before + 1
    assert mail.outbox == []  # everything went over SMTP
