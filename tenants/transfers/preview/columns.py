"""Which columns of an imported table mean what, and the rows as the checks receive them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import pgettext_lazy

from ..reading import Table

PARTICIPANTS = "participants"
MEDIATIONS = "mediations"
REWARDS = "rewards"  # time credits for volunteers; only where credits are on
KINDS = (PARTICIPANTS, MEDIATIONS, REWARDS)
EXPORTED = (PARTICIPANTS, MEDIATIONS)  # what can be downloaded (rewards are in the ledger)


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
REWARD_COLUMNS = _aliases(
    {
        "participant": (
            "participant",
            "deelnemer",
            "volunteer",
            "vrijwilliger",
            "name",
            "naam",
            "email",
            "e-mail",
            "e-mailadres",
            "e-mail address",
        ),
        "amount": ("amount", "aantal", "hours", "uren", "credits", "tegoed"),
        "organisation": ("organisation", "organization", "organisatie"),
        "description": ("description", "omschrijving", "what for", "waarvoor"),
    }
)
# What the preview's column headers and the export's first row call each field, in the
# interface language. Each label, in Dutch and in English, is also one of the aliases above
# (tests/tenants/transfers check it), so an export reads back in either language.
FIELD_LABELS = {
    "id": pgettext_lazy("import column", "Number"),
    "display_name": pgettext_lazy("import column", "Name shown on the site"),
    "full_name": pgettext_lazy("import column", "Full name"),
    "first_name": pgettext_lazy("import column", "First name"),
    "middle_name": pgettext_lazy("import column", "Middle name"),
    "last_name": pgettext_lazy("import column", "Last name"),
    "email": pgettext_lazy("import column", "E-mail address"),
    "phone": pgettext_lazy("import column", "Phone"),
    "mobile_phone": pgettext_lazy("import column", "Mobile phone"),
    "home_phone": pgettext_lazy("import column", "Home phone"),
    "business_phone": pgettext_lazy("import column", "Business phone"),
    "street_address": pgettext_lazy("import column", "Street address"),
    "postal_code": pgettext_lazy("import column", "Postal code"),
    "sub_area": pgettext_lazy("import column", "Sub-area"),
    "requester": pgettext_lazy("import column", "Requester"),
    "provider": pgettext_lazy("import column", "Provider"),
    "started_on": pgettext_lazy("import column", "Started on"),
    "status": pgettext_lazy("import column", "Status"),
    "ended_on": pgettext_lazy("import column", "Ended on"),
    "reason": pgettext_lazy("import column", "Reason"),
    "active": pgettext_lazy("import column", "Active"),
    "participant": pgettext_lazy("import column", "Participant"),
    "amount": pgettext_lazy("import column", "Amount"),
    "organisation": pgettext_lazy("import column", "Organisation"),
    "description": pgettext_lazy("import column", "Description"),
}

# Known, deliberately not imported: ids of another neighbourhood, notes (they may be
# sensitive and belong in the broker's own notes), places outside the neighbourhood.
IGNORED_COLUMNS = {
    normalise_header(h)
    for h in (
        *("id", "number", "nummer", "notes", "notities", "opmerkingen"),
        *("home city", "woonplaats", "plaats"),
    )
}

COLUMNS = {
    PARTICIPANTS: PARTICIPANT_COLUMNS,
    MEDIATIONS: MEDIATION_COLUMNS,
    REWARDS: REWARD_COLUMNS,
}
REQUIRED = {
    PARTICIPANTS: (),
    MEDIATIONS: ("requester", "provider", "started_on"),
    REWARDS: ("participant", "amount"),
}


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
    warnings: list[str] = field(default_factory=list)  # shown, but do not stop the import
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
