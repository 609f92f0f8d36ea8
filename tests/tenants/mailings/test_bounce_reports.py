"""Reading bounce mail as mail servers write it: hard bounces (RFC 3464) and complaints (ARF,
RFC 5965) are recognised with what names their message; delays, soft failures, other
reports, auto-replies and formats of their own are left alone."""

from __future__ import annotations

import pytest

from tenants.mailings.bounce_reports import read_report
from tests.support.bounces import bounce_mail

VERP = "bounces+2-1b-abcdefghijklmnop@wijk.example"
MESSAGE_ID = "<3f1c2a9e-5b7d-4e0f-9a1b-2c3d4e5f6a7b@nb_wijk_a.tijdvoorelkaar>"


def _read(name: str, **values: str):  # type: ignore[no-untyped-def]
    values = {"bounce_to": VERP, "envelope_sender": VERP, "message_id": MESSAGE_ID, **values}
    return read_report(bounce_mail(name, **values))


@pytest.mark.parametrize(
    ("sample", "code"),
    [
        ("postfix_user_unknown", "5.1.1"),  # text/rfc822-headers
        ("gmail_no_such_user", "5.1.1"),  # the whole original as message/rfc822
        ("exchange_recipient_not_found", "5.1.10"),
    ],
)
def test_a_hard_bounce_is_read_with_its_token_address_and_the_original_message_id(
    sample: str, code: str
) -> None:
    report = _read(sample)
    assert report is not None
    assert (report.kind, report.code) == ("bounce", code)
    assert report.addresses[0] == VERP  # where the report was delivered comes first
    assert MESSAGE_ID in report.message_ids
    assert "weg@example.org" not in report.addresses  # the failed recipient names no message


def test_the_token_is_found_in_the_original_when_the_report_went_to_the_bare_address() -> None:
    report = _read("postfix_user_unknown", bounce_to="bounces@wijk.example")
    assert report is not None and VERP in report.addresses  # the original's Return-Path


def test_the_envelope_recipient_the_mail_server_gives_comes_first() -> None:
    raw = bounce_mail("exchange_recipient_not_found", message_id=MESSAGE_ID)
    report = read_report(raw, "bounces+9-9-bbbbbbbbbbbbbbbb@wijk.example")
    assert report is not None
    assert report.addresses[0] == "bounces+9-9-bbbbbbbbbbbbbbbb@wijk.example"


def test_without_a_status_the_diagnostic_codes_decide() -> None:
    raw = _raw_without_status(diagnostic="smtp; 550 5.2.1 Mailbox disabled")
    assert read_report(raw).code == "5.2.1"  # type: ignore[union-attr]
    raw = _raw_without_status(diagnostic="smtp; 554 Mailbox unavailable")
    assert read_report(raw).code == "5.0.0"  # type: ignore[union-attr]
    assert read_report(_raw_without_status(diagnostic="smtp; 452 Mailbox full")) is None


def _raw_without_status(*, diagnostic: str) -> bytes:
    text = bounce_mail("postfix_user_unknown").decode()
    text = text.replace("Status: 5.1.1\n", "")
    start = text.index("Diagnostic-Code:")
    end = text.index("\n\n", start)
    return (text[:start] + f"Diagnostic-Code: {diagnostic}" + text[end:]).encode()


def test_a_complaint_is_read_with_the_token_of_the_original_sender() -> None:
    report = _read("yahoo_abuse_report")  # delivered to the feedback-loop address
    assert report is not None
    assert (report.kind, report.code) == ("complaint", "abuse")
    assert report.addresses[0] == "fbl@wijk.example" and VERP in report.addresses
    assert report.message_ids == (MESSAGE_ID,)


@pytest.mark.parametrize(
    "sample",
    [
        "exim_delayed",  # Action: delayed, 4.7.1: it may still arrive
        "exim_gave_up_4xx",  # failed, but 4.0.0: a temporary cause, not a dead address
        "dmarc_auth_failure",  # an ARF report, but about authentication, not a complaint
        "vacation_reply",  # auto-replies go to the envelope sender too (RFC 3834)
        "qmail_plain_bounce",  # a format of its own: not read
    ],
)
def test_delays_soft_failures_other_reports_and_auto_replies_are_ignored(sample: str) -> None:
    assert _read(sample) is None


def test_garbage_is_ignored() -> None:
    assert read_report(b"") is None
    assert read_report(b"\xff\xfe\x00 not a mail \r\n\r\n\x00") is None
    broken = b"Content-Type: multipart/report; report-type=delivery-status; boundary=x\n\n--x\n"
    assert read_report(broken) is None
