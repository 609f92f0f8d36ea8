"""`manage.py receive_bounce`: one bounce mail on stdin, from the mail server's pipe.

Postfix (/etc/aliases): `bounces: "|/app/manage.py receive_bounce"`; Exim a pipe transport
alike. The address the mail was delivered to comes from `--recipient`, else from the
environment both servers give a pipe (`ORIGINAL_RECIPIENT`, `RECIPIENT`), else from the
`Delivered-To` header they add. Exit status: 0 when the mail was handled or ignored (a mail
server must not return a bounce to the bounce address), 75 (EX_TEMPFAIL) when it could not
be handled now (the database is away): the server keeps it and delivers it again later.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any, BinaryIO

from django.core.management.base import BaseCommand, CommandParser

from tenants.mailings.bounces import MAX_MESSAGE_BYTES, record_bounce_message

EX_TEMPFAIL = 75
logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Read one bounce or complaint mail from stdin and mark what it reports."
    stealth_options = ("stdin",)  # call_command(..., stdin=BytesIO(...)) in tests

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--recipient",
            default="",
            help="The address the mail was delivered to (default: $ORIGINAL_RECIPIENT, "
            "$RECIPIENT, or its Delivered-To header).",
        )

    def handle(self, *args: Any, recipient: str, **options: Any) -> None:
        stream: BinaryIO = options.get("stdin") or sys.stdin.buffer
        raw = stream.read(MAX_MESSAGE_BYTES + 1)
        recipient = (
            recipient or os.environ.get("ORIGINAL_RECIPIENT") or os.environ.get("RECIPIENT", "")
        )
        try:
            outcome = record_bounce_message(raw, envelope_recipient=recipient or None)
        except Exception as error:  # noqa: BLE001 - anything unexpected: let the server retry
            logger.exception("bounce mail not handled now; the mail server will retry")
            self.stderr.write(f"temporary failure: {type(error).__name__}")
            sys.exit(EX_TEMPFAIL)
        # the outcome names no address: fit for the mail server's log
        self.stdout.write(f"{outcome.kind} {outcome.detail} {outcome.schema_name}".strip())
