"""From a table's rows to what would be imported: which columns mean what, and per row the
values and what is wrong with them. Reads the database (a fixed number of queries), never
writes. The same checks run again right before the import."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.mediations.models import Mediation, MediationStatus
from tenants.mediations.services import NEEDS_REASON
from tenants.organisations.models import Organisation
from tenants.people.models import Participant, SubArea
from tenants.people.services.participants import normalise_email, normalise_phone

from .reading import Table

PARTICIPANTS = "participants"
MEDIATIONS = "mediations"
KINDS = (PARTICIPANTS, MEDIATIONS)


def normalise_header(header: str) -> str:
    return re.sub(r"[^0-9a-zà-ÿ]+", " ", header.lower()).strip()


def _aliases(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise_header(alias): name for name, aliases in table.items() for alias in aliases}


# Our own export's names first, then Outlook's (English and Dutch) and common spreadsheet ones.
PARTICIPANT_COLUMNS = _aliases(
    {
        "display_name": ("display_name", "name shown on the site", "weergavenaam", "roepnaam"),
        "full_name": ("full_name", "full name", "name", "naam", "volledige naam"),
        "first_name": ("first name", "given name", "voornaam"),
        "middle_name": ("middle name", "tussenvoegsel", "middelste naam"),
        "last_name": ("last name", "surname", "family name", "achternaam"),
        "email": ("email", "e-mail", "e-mail address", "email address", "e-mailadres"),
        "phone": ("phone", "telefoon", "telefoonnummer", "primary phone"),
        "mobile_phone": ("mobile phone", "mobile", "mobiele telefoon", "mobiel", "gsm"),
        "home_phone": ("home phone", "telefoon thuis", "telefoon (thuis)"),
        "business_phone": ("business phone", "telefoon werk", "telefoon (werk)"),
        "street_address": (
            "street_address",
            "street address",
            "home street",
            "address",
            "adres",
            "straat",
            "straat thuis",
            "straat (thuis)",
        ),
        "postal_code": (
            "postal_code",
            "postal code",
            "home postal code",
            "zip",
            "postcode",
            "postcode thuis",
            "postcode (thuis)",
        ),
        "sub_area": ("sub_area", "sub-area", "wijk", "buurt"),
    }
)
MEDIATION_COLUMNS = _aliases(
    {
        "requester": ("requester", "asking", "vrager", "hulpvrager", "aanvrager"),
        "provider": (
            "provider",
            "giving",
            "aanbieder",
            "hulpbieder",
            "organisation",
            "organisatie",
        ),
        "started_on": ("started_on", "started on", "start", "startdatum", "gestart op", "datum"),
        "status": ("status", "resultaat"),
        "ended_on": ("ended_on", "ended on", "end", "einddatum", "beëindigd op", "afgesloten op"),
        "reason": ("reason", "reden", "toelichting"),
        "active": ("active", "actief", "actief ondersteund", "met makelaar"),
    }
)
# Known, deliberately not imported: ids of another neighbourhood, notes (they may be
# sensitive and belong in the broker's own notes), places outside the neighbourhood.
IGNORED_COLUMNS = {
    normalise_header(h)
    for h in ("id", "notes", "notities", "opmerkingen", "home city", "woonplaats", "plaats")
}

COLUMNS = {PARTICIPANTS: PARTICIPANT_COLUMNS, MEDIATIONS: MEDIATION_COLUMNS}
REQUIRED = {PARTICIPANTS: (), MEDIATIONS: ("requester", "provider", "started_on")}

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


@dataclass
class Columns:
    mapping: dict[str, str]  # header in the file -> field
    unknown: list[str]
    ignored: list[str]
    missing: list[str]


@dataclass
class Row:
    line: int
    values: dict[str, str]  # field -> the text in the file
    errors: list[str] = field(default_factory=list)
    cleaned: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def map_columns(kind: str, headers: list[str]) -> Columns:
    known = COLUMNS[kind]
    mapping, unknown, ignored = {}, [], []
    for header in headers:
        if not header:
            continue
        name = known.get(normalise_header(header))
        if name is not None and name not in mapping.values():
            mapping[header] = name
        elif normalise_header(header) in IGNORED_COLUMNS:
            ignored.append(header)
        else:
            unknown.append(header)
    missing = [name for name in REQUIRED[kind] if name not in mapping.values()]
    return Columns(mapping=mapping, unknown=unknown, ignored=ignored, missing=missing)


def mapped_rows(table: Table, columns: Columns) -> list[tuple[int, dict[str, str]]]:
    """The rows as (line, {field: text}): what is kept between preview and import."""
    return [
        (line, {columns.mapping[h]: v for h, v in cells.items() if h in columns.mapping})
        for line, cells in table.rows
    ]


def parse_date(text: str) -> datetime.date | None:
    text = text.strip().split(" ")[0]
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return None


# Participants -----------------------------------------------------------------------------


def _participant_values(values: dict[str, str]) -> dict[str, str]:
    first = values.get("first_name", "").strip()
    parts = [first, values.get("middle_name", "").strip(), values.get("last_name", "").strip()]
    full_name = values.get("full_name", "").strip() or " ".join(p for p in parts if p)
    # The display name is public: a first name, never the whole name unless that is all.
    display_name = values.get("display_name", "").strip() or first or full_name.split(" ")[0]
    phone = next(
        (
            values.get(name, "").strip()
            for name in ("phone", "mobile_phone", "home_phone", "business_phone")
            if values.get(name, "").strip()
        ),
        "",
    )
    return {
        "display_name": display_name,
        "full_name": full_name,
        "email": normalise_email(values.get("email", "")),
        "phone": normalise_phone(phone),
        "street_address": values.get("street_address", "").strip(),
        "postal_code": values.get("postal_code", "").strip().upper(),
        "sub_area": values.get("sub_area", "").strip(),
    }


LIMITS = {
    "display_name": 80,
    "full_name": 120,
    "phone": 30,
    "street_address": 200,
    "postal_code": 10,
}


def check_participants(rows: list[tuple[int, dict[str, str]]]) -> list[Row]:
    """Each row's values and errors: name, e-mail, lengths, sub-area, duplicates of an
    existing participant (same e-mail or phone) or of an earlier row. Three queries."""
    results = [Row(line=line, values=values) for line, values in rows]
    prepared = [_participant_values(row.values) for row in results]
    emails = {p["email"] for p in prepared if p["email"]}
    phones = {p["phone"] for p in prepared if p["phone"]}
    existing: dict[tuple[str, str], int] = {}
    for pk, email, phone in (
        Participant.objects.filter(erased_at__isnull=True)
        .filter(Q(email__in=emails) | Q(phone__in=phones))
        .order_by("id")
        .values_list("id", "email", "phone")
    ):
        existing.setdefault(("email", email), pk)
        existing.setdefault(("phone", phone), pk)
    sub_areas = {area.name.lower(): area for area in SubArea.objects.all()}
    seen: dict[tuple[str, str], int] = {}
    for row, values in zip(results, prepared, strict=True):
        if not values["display_name"] and not values["full_name"]:
            row.errors.append(_("The name is missing."))
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                row.errors.append(_("The e-mail address is not valid."))
        if values["phone"] and len(values["phone"].lstrip("+")) < 6:
            row.errors.append(_("The phone number is too short."))
        for name, limit in LIMITS.items():
            if len(values[name]) > limit:
                row.errors.append(
                    _("%(field)s is longer than %(limit)s characters.")
                    % {"field": Participant._meta.get_field(name).verbose_name, "limit": limit}
                )
        area = None
        if values["sub_area"]:
            area = sub_areas.get(values["sub_area"].lower())
            if area is None:
                row.errors.append(_("Unknown sub-area."))
        for key in (("email", values["email"]), ("phone", values["phone"])):
            if not key[1]:
                continue
            if key in existing:
                row.errors.append(
                    _("Already registered: participant %(id)s has this %(what)s.")
                    % {"id": existing[key], "what": _what(key[0])}
                )
            elif key in seen:
                row.errors.append(
                    _("The same %(what)s as row %(line)s.")
                    % {"what": _what(key[0]), "line": seen[key]}
                )
            else:
                seen[key] = row.line
        row.cleaned = {**values, "sub_area": area}
    return results


def _what(key: str) -> str:
    return _("e-mail address") if key == "email" else _("phone number")


# Mediations -------------------------------------------------------------------------------


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
    existing = {
        (requester, provider, organisation, started_on)
        for requester, provider, organisation, started_on in Mediation.objects.values_list(
            "requester_id", "provider_id", "organisation_id", "started_on"
        )
    }
    seen: dict[tuple[Any, ...], int] = {}
    for row in results:
        values = row.values
        requester = people.find(values.get("requester", ""), organisations=False)
        if isinstance(requester, str):
            row.errors.append(_("Requester: %(problem)s.") % {"problem": requester})
            requester = None
        provider = people.find(values.get("provider", ""), organisations=True)
        if isinstance(provider, str):
            row.errors.append(_("Provider: %(problem)s.") % {"problem": provider})
            provider = None
        if requester is not None and requester == provider:
            row.errors.append(_("Requester and provider are the same person."))
        started_on = parse_date(values.get("started_on", ""))
        if started_on is None:
            row.errors.append(_("The start date is missing or not a date (use 2024-03-31)."))
        elif started_on > today:
            row.errors.append(_("The start date is in the future."))
        ended_on = None
        if values.get("ended_on", "").strip():
            ended_on = parse_date(values["ended_on"])
            if ended_on is None:
                row.errors.append(_("The end date is not a date (use 2024-03-31)."))
            elif ended_on > today:
                row.errors.append(_("The end date is in the future."))
            elif started_on is not None and ended_on < started_on:
                row.errors.append(_("The end date is before the start date."))
        status_text = normalise_header(values.get("status", ""))
        status = STATUS_WORDS.get(status_text) if status_text else MediationStatus.OPEN
        if status is None:
            row.errors.append(_("Unknown status."))
        elif status == MediationStatus.OPEN and ended_on is not None:
            row.errors.append(_("An open mediation has no end date."))
        elif status != MediationStatus.OPEN and values.get("ended_on", "").strip() == "":
            row.errors.append(_("An ended mediation needs an end date."))
        active_text = values.get("active", "").strip().lower()
        active = active_text in YES
        if active_text not in YES | NO:
            row.errors.append(_("Active must be yes or no."))
        if len(values.get("reason", "")) > 300:
            row.errors.append(_("The reason is longer than 300 characters."))
        if requester is not None and provider is not None and started_on is not None:
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
        row.cleaned = {
            "requester": requester,
            "provider": provider if isinstance(provider, Participant) else None,
            "organisation": provider if isinstance(provider, Organisation) else None,
            "started_on": started_on,
            "ended_on": ended_on,
            "status": status,
            "reason": values.get("reason", "").strip() or _reason_for(status),
            "active": active,
        }
    return results


def _reason_for(status: Any) -> str:
    """An imported mediation that ended without a match but gives no reason still imports
    (old records often have none), marked as such: set_mediation_status requires a reason."""
    if status in NEEDS_REASON:
        return _("Imported without a reason")
    return ""


CHECKS = {PARTICIPANTS: check_participants, MEDIATIONS: check_mediations}


def check_rows(kind: str, rows: list[tuple[int, dict[str, str]]]) -> list[Row]:
    return CHECKS[kind](rows)
