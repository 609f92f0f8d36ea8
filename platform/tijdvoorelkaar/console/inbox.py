"""Reads the mails that Django's file e-mail backend wrote (local development and the demo)."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.http import Http404

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


@dataclass(frozen=True)
class InboxMail:
    name: str
    to: str
    subject: str
    date: datetime
    body: str


def inbox_enabled() -> bool:
    return settings.MAIL_INBOX_ENABLED and settings.EMAIL_BACKEND == FILE_BACKEND


def _parse(path: Path) -> list[InboxMail]:
    # The backend appends every message of one connection to one .log file, separated by dashes.
    chunks = [c for c in path.read_text(errors="replace").split("-" * 79 + "\n") if c.strip()]
    mails = []
    for index, chunk in enumerate(chunks):
        parsed = email.message_from_string(chunk, policy=email.policy.default)
        body = parsed.get_body(preferencelist=("plain",))
        mails.append(
            InboxMail(
                name=f"{path.stem}.{index}",
                to=str(parsed["To"]),
                subject=str(parsed["Subject"]),
                date=datetime.fromtimestamp(path.stat().st_mtime).astimezone(),
                body=body.get_content() if body else "",
            )
        )
    return mails


def read_inbox() -> list[InboxMail]:
    folder = Path(settings.MAIL_INBOX_DIR)
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [mail for path in files[:200] for mail in _parse(path)]


def read_message(name: str) -> InboxMail:
    for mail in read_inbox():
        if mail.name == name:
            return mail
    raise Http404
