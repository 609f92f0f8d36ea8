"""Checking an uploaded list of rewards (time credits): per row the person found (e-mail,
phone or exact name), an amount the ledger accepts, the organisation it comes from (if
named) and what it is for. Reads the database (a fixed number of queries), never writes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tenants.credits.services import check_amount
from tenants.organisations.models import Organisation
from tenants.people.models import Participant

from .columns import Row
from .mediations import _People


def _amount(text: str) -> Decimal | str:
    try:
        return check_amount(Decimal(text.strip().replace(",", ".")))
    except (InvalidOperation, ValueError):
        return _("not a number")
    except ValidationError as error:
        return " ".join(error.messages)


def check_rewards(rows: list[tuple[int, dict[str, str]]]) -> list[Row]:
    """Each row's values and errors; a person listed twice for the same reward is an error
    (a reward gives each person one share)."""
    results = [Row(line=line, values=values) for line, values in rows]
    people = _People()
    organisations = {o.name.lower(): o for o in Organisation.objects.all()}
    seen: dict[tuple[int, int | None, str], int] = {}
    for row in results:
        person = people.find(row.values.get("participant", ""), organisations=False)
        if not isinstance(person, Participant):
            row.errors.append(_("Participant: %(problem)s.") % {"problem": person})
            person = None
        amount = _amount(row.values.get("amount", ""))
        if isinstance(amount, str):
            row.errors.append(_("Amount: %(problem)s") % {"problem": amount})
            amount = None
        name = row.values.get("organisation", "").strip()
        organisation = organisations.get(name.lower()) if name else None
        if name and organisation is None:
            row.errors.append(_("Organisation: unknown."))
        description = row.values.get("description", "").strip() or _("Reward (imported)")
        if len(description) > 200:
            row.errors.append(_("The description is longer than 200 characters."))
        if person is not None:
            key = (person.pk, organisation.pk if organisation else None, description)
            if key in seen:
                row.errors.append(
                    _("Also in row %(line)s: a person gets one share of a reward.")
                    % {"line": seen[key]}
                )
            seen.setdefault(key, row.line)
        row.cleaned = {
            "participant": person,
            "amount": amount,
            "organisation": organisation,
            "description": description,
        }
    return results
