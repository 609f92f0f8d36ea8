"""Checking imported participants: per row the values as they would be stored and what is
wrong with them. Reads the database (three queries), never writes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _

from tenants.people.models import Participant, SubArea
from tenants.people.services.participants import normalise_email, normalise_phone

from .columns import Row

LIMITS = {
    "display_name": 80,
    "full_name": 120,
    "phone": 30,
    "street_address": 200,
    "postal_code": 10,
}
Contact = tuple[str, str]  # ("email" or "phone", the normalised value)


def check_participants(rows: list[tuple[int, dict[str, str]]]) -> list[Row]:
    """Each row's values and errors: name, e-mail, lengths, sub-area, duplicates of an
    existing participant (same e-mail or phone) or of an earlier row. Three queries."""
    results = [Row(line=line, values=values) for line, values in rows]
    prepared = [_participant_values(row.values) for row in results]
    registered = _registered_contacts(prepared)
    sub_areas = {area.name.lower(): area for area in SubArea.objects.all()}
    seen: dict[Contact, int] = {}
    for row, values in zip(results, prepared, strict=True):
        row.errors.extend(_value_errors(values))
        area = sub_areas.get(values["sub_area"].lower()) if values["sub_area"] else None
        if values["sub_area"] and area is None:
            row.errors.append(_("Unknown sub-area."))
        row.errors.extend(_duplicate_errors(values, row.line, registered, seen))
        row.cleaned = {**values, "sub_area": area}
    return results


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


def _registered_contacts(prepared: list[dict[str, str]]) -> dict[Contact, int]:
    """Which of the rows' e-mail addresses and phone numbers a participant already has (the
    oldest one's id), in one query."""
    emails = {p["email"] for p in prepared if p["email"]}
    phones = {p["phone"] for p in prepared if p["phone"]}
    registered: dict[Contact, int] = {}
    for pk, email, phone in (
        Participant.objects.filter(erased_at__isnull=True)
        .filter(Q(email__in=emails) | Q(phone__in=phones))
        .order_by("id")
        .values_list("id", "email", "phone")
    ):
        registered.setdefault(("email", email), pk)
        registered.setdefault(("phone", phone), pk)
    return registered


def _value_errors(values: dict[str, str]) -> list[str]:
    errors = []
    if not values["display_name"] and not values["full_name"]:
        errors.append(_("The name is missing."))
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.append(_("The e-mail address is not valid."))
    if values["phone"] and len(values["phone"].lstrip("+")) < 6:
        errors.append(_("The phone number is too short."))
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            errors.append(
                _("%(field)s is longer than %(limit)s characters.")
                % {"field": Participant._meta.get_field(name).verbose_name, "limit": limit}
            )
    return errors


def _duplicate_errors(
    values: dict[str, str], line: int, registered: dict[Contact, int], seen: dict[Contact, int]
) -> list[str]:
    """Someone already registered, or an earlier row, with this e-mail address or phone;
    remembers this row's contacts in `seen` for the rows after it."""
    errors = []
    for key in (("email", values["email"]), ("phone", values["phone"])):
        if not key[1]:
            continue
        if key in registered:
            errors.append(
                _("Already registered: participant %(id)s has this %(what)s.")
                % {"id": registered[key], "what": _what(key[0])}
            )
        elif key in seen:
            errors.append(
                _("The same %(what)s as row %(line)s.") % {"what": _what(key[0]), "line": seen[key]}
            )
        else:
            seen[key] = line
    return errors


def _what(key: str) -> str:
    return _("e-mail address") if key == "email" else _("phone number")
