"""Checking imported mediations: per row both people found, dates, status and "active" read,
and no duplicate. Reads the database (a fixed number of queries), never writes."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.mediations.models import Mediation, MediationStatus
from tenants.mediations.services import NEEDS_REASON
from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tenants.people.services.participants import normalise_email, normalise_phone

from .columns import Row, normalise_header

STATUS_WORDS = {
    normalise_header(word): status
    for status, words in {
        MediationStatus.OPEN: ("open", "lopend", "loopt"),
        MediationStatus.MATCH: ("match", "koppeling", "geslaagd", "gelukt", "geslaagde koppeling"),
        MediationStatus.NO_MATCH: (
            "no_match",
            "no match",
            "geen koppeling",
            "mislukt",
            "niet gelukt",
        ),
        MediationStatus.CANCELLED: ("cancelled", "canceled", "geannuleerd", "afgebroken"),
    }.items()
    for word in words
}
YES = {"yes", "y", "ja", "j", "true", "waar", "1", "x"}
NO = {"no", "n", "nee", "false", "onwaar", "0", ""}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y", "%d/%m/%y")


def parse_date(text: str) -> datetime.date | None:
    text = text.strip().split(" ")[0]
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return None


class _People:
    """Finds the person (or organisation) a cell names: by e-mail, phone or exact name."""

    def __init__(self) -> None:
        self.by_email: dict[str, Participant] = {}
        self.by_phone: dict[str, Participant] = {}
        self.by_name: dict[str, list[Participant]] = {}
        for person in Participant.objects.filter(erased_at__isnull=True).order_by("id"):
            if person.email:
                self.by_email.setdefault(person.email, person)
            if person.phone:
                self.by_phone.setdefault(person.phone, person)
            for name in {person.display_name.lower(), person.full_name.lower()} - {""}:
                self.by_name.setdefault(name.strip(), []).append(person)
        self.organisations = {o.name.lower(): o for o in Organisation.objects.all()}

    def find(self, text: str, *, organisations: bool) -> Participant | Organisation | str:
        """The match, or an error message."""
        text = text.strip()
        if not text:
            return _("missing")
        if "@" in text:
            return self.by_email.get(normalise_email(text)) or _("no participant with this e-mail")
        phone = normalise_phone(text)
        if len(phone.lstrip("+")) >= 6 and phone in self.by_phone:
            return self.by_phone[phone]
        named = self.by_name.get(text.lower(), [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            return _("more than one participant has this name; use the e-mail or phone")
        if organisations and text.lower() in self.organisations:
            return self.organisations[text.lower()]
        return _("unknown person")


def check_mediations(rows: list[tuple[int, dict[str, str]]]) -> list[Row]:
    """Each row's values and errors: both people known, dates valid and in order, status
    and "active" readable, no duplicate of an existing mediation or an earlier row."""
    results = [Row(line=line, values=values) for line, values in rows]
    people = _People()
    today = timezone.localdate()
    existing = set(
        Mediation.objects.values_list(
            "requester_id", "provider_id", "organisation_id", "started_on"
        )
    )
    seen: dict[tuple[Any, ...], int] = {}
    for row in results:
        requester, provider = _parties(row, people)
        started_on, ended_on = _dates(row, today)
        status = _status(row, ended_on)
        active = _active(row)
        if len(row.values.get("reason", "")) > 300:
            row.errors.append(_("The reason is longer than 300 characters."))
        if requester is not None and provider is not None and started_on is not None:
            _check_not_duplicate(row, (requester, provider, started_on), existing, seen)
        row.cleaned = {
            "requester": requester,
            "provider": provider if isinstance(provider, Participant) else None,
            "organisation": provider if isinstance(provider, Organisation) else None,
            "started_on": started_on,
            "ended_on": ended_on,
            "status": status,
            "reason": row.values.get("reason", "").strip() or _reason_for(status),
            "active": active,
        }
    return results


def _parties(row: Row, people: _People) -> tuple[Any, Any]:
    """The requester (a participant) and the provider (a participant or an organisation)."""
    requester = people.find(row.values.get("requester", ""), organisations=False)
    if isinstance(requester, str):
        row.errors.append(_("Requester: %(problem)s.") % {"problem": requester})
        requester = None
    provider = people.find(row.values.get("provider", ""), organisations=True)
    if isinstance(provider, str):
        row.errors.append(_("Provider: %(problem)s.") % {"problem": provider})
        provider = None
    if requester is not None and requester == provider:
        row.errors.append(_("Requester and provider are the same person."))
    return requester, provider


def _dates(row: Row, today: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
    """The start date (required) and the end date (optional), neither in the future."""
    started_on = parse_date(row.values.get("started_on", ""))
    if started_on is None:
        row.errors.append(_("The start date is missing or not a date (use 2024-03-31)."))
    elif started_on > today:
        row.errors.append(_("The start date is in the future."))
    ended_on = None
    if row.values.get("ended_on", "").strip():
        ended_on = parse_date(row.values["ended_on"])
        if ended_on is None:
            row.errors.append(_("The end date is not a date (use 2024-03-31)."))
        elif ended_on > today:
            row.errors.append(_("The end date is in the future."))
        elif started_on is not None and ended_on < started_on:
            row.errors.append(_("The end date is before the start date."))
    return started_on, ended_on


def _status(row: Row, ended_on: datetime.date | None) -> Any:
    """The status a word names (open when empty); an end date goes with an ended one only."""
    status_text = normalise_header(row.values.get("status", ""))
    status = STATUS_WORDS.get(status_text) if status_text else MediationStatus.OPEN
    if status is None:
        row.errors.append(_("Unknown status."))
    elif status == MediationStatus.OPEN and ended_on is not None:
        row.errors.append(_("An open mediation has no end date."))
    elif status != MediationStatus.OPEN and row.values.get("ended_on", "").strip() == "":
        row.errors.append(_("An ended mediation needs an end date."))
    return status


def _active(row: Row) -> bool:
    active_text = row.values.get("active", "").strip().lower()
    if active_text not in YES | NO:
        row.errors.append(_("Active must be yes or no."))
    return active_text in YES


def _check_not_duplicate(
    row: Row,
    parties: tuple[Any, Any, datetime.date],
    existing: set[tuple[Any, ...]],
    seen: dict[tuple[Any, ...], int],
) -> None:
    """Not a mediation that exists already, nor the same as an earlier row (remembered)."""
    requester, provider, started_on = parties
    is_org = isinstance(provider, Organisation)
    key = (
        requester.pk,
        None if is_org else provider.pk,
        provider.pk if is_org else None,
        started_on,
    )
    if key in existing:
        row.errors.append(_("This mediation already exists."))
    elif key in seen:
        row.errors.append(_("The same mediation as row %(line)s.") % {"line": seen[key]})
    else:
        seen[key] = row.line


def _reason_for(status: Any) -> str:
    """An imported mediation that ended without a match but gives no reason still imports
    (old records often have none), marked as such: set_mediation_status requires a reason."""
    if status in NEEDS_REASON:
        return _("Imported without a reason")
    return ""
