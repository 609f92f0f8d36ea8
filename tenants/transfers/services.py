"""Importing checked rows (all or nothing) and exporting participants and mediations.

An import runs the checks again on the rows kept since the preview (the database may have
changed), refuses while errors remain unless only the good rows are wanted, and writes every
row through the owning app's services in one transaction: one failing row undoes them all.
Participants are imported only when the broker confirms that they agreed earlier (e.g. on
paper) to their details being stored: that registration consent is then recorded for each of
them, by the importing broker, now (the import's audit event says it was given at import).
An export is a sensitive read: audited with the count and the ids of the exported
participants or mediations (ids only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.credits.services import reward_participants
from tenants.mediations.models import Mediation, MediationStatus
from tenants.mediations.services import set_mediation_status, start_mediation
from tenants.people.models import ConsentTopic, Participant
from tenants.people.services.participants import register_participant
from tijdvoorelkaar.spreadsheets import Export, write_table

from .preview.checks import check_rows
from .preview.columns import EXPORTED, FIELD_LABELS, KINDS, MEDIATIONS, PARTICIPANTS, REWARDS, Row


class ImportRefused(Exception):
    """Nothing was imported; `rows` carry the errors (per row) and `message` says why."""

    def __init__(self, message: str, rows: list[Row]) -> None:
        super().__init__(message)
        self.message = message
        self.rows = rows


@dataclass
class ImportResult:
    imported: int
    skipped: int
    ids: list[int]


def _write_participant(row: Row, by: Any) -> int:
    values = row.cleaned
    participant = register_participant(
        registered_by=by,
        display_name=values["display_name"],
        full_name=values["full_name"],
        email=values["email"],
        phone=values["phone"],
        street_address=values["street_address"],
        postal_code=values["postal_code"],
        sub_area=values["sub_area"],
        consents=[ConsentTopic.REGISTRATION],
    )
    return participant.pk


def _write_mediation(row: Row, by: Any) -> int:
    values = row.cleaned
    mediation = start_mediation(
        requester=values["requester"],
        provider=values["provider"],
        organisation=values["organisation"],
        active=values["active"],
        started_on=values["started_on"],
        created_by=by,
    )
    if values["status"] != MediationStatus.OPEN:
        set_mediation_status(
            mediation=mediation,
            status=values["status"],
            ended_on=values["ended_on"],
            reason=values["reason"],
            by=by,
        )
    return mediation.pk


def _write_rewards(rows: list[Row], by: Any) -> list[int]:
    """A list of rewards as few transfers as it can be: one per organisation, amount and
    description (usually one for the whole list); inside the import's transaction, so all
    of them or none."""
    groups: dict[tuple[Any, ...], list[Row]] = {}
    for row in rows:
        values = row.cleaned
        key = (values["organisation"], values["amount"], values["description"])
        groups.setdefault(key, []).append(row)
    ids = []
    for (organisation, amount, description), group in groups.items():
        try:
            transfer = reward_participants(
                recipients=[row.cleaned["participant"] for row in group],
                amount_each=amount,
                by=by,
                description=description,
                organisation=organisation,
            )
        except ValidationError as error:
            for row in group:
                row.errors.extend(error.messages)
            raise
        ids.append(transfer.pk)
    return ids


WRITERS = {PARTICIPANTS: _write_participant, MEDIATIONS: _write_mediation}


def consent_refusal() -> str:
    """Why participants are not imported without the broker's confirmation of consent."""
    return _(
        "Confirm that these people agreed earlier (e.g. on paper) to us storing their "
        "details; without their consent they cannot be imported."
    )


def import_rows(
    *,
    kind: str,
    rows: list[tuple[int, dict[str, str]]],
    only_good_rows: bool,
    by: Any,
    consent_confirmed: bool = False,
) -> ImportResult:
    """Import the rows of a checked upload. Raises ImportRefused (nothing written) when
    participants come without `consent_confirmed` (the broker's word that they agreed earlier
    to their details being stored: recorded as each one's registration consent), when errors
    remain and `only_good_rows` is false, when no row is good, or when a row fails while
    being written."""
    if kind not in KINDS:
        raise ValueError(kind)
    checked = check_rows(kind, rows)
    if kind == PARTICIPANTS and not consent_confirmed:
        raise ImportRefused(consent_refusal(), checked)
    bad = [row for row in checked if not row.ok]
    if bad and not only_good_rows:
        raise ImportRefused(
            _("%(count)s rows have errors: correct them, or import only the good rows.")
            % {"count": len(bad)},
            checked,
        )
    good = [row for row in checked if row.ok]
    if not good:
        raise ImportRefused(_("There is no row without errors to import."), checked)
    ids: list[int] = []
    try:
        with transaction.atomic():
            if kind == REWARDS:
                ids = _write_rewards(good, by)
            for row in good if kind != REWARDS else []:
                try:
                    ids.append(WRITERS[kind](row, by))
                except ValidationError as error:
                    row.errors.extend(error.messages)
                    raise
            record_audit_event(
                actor=by,
                action="transfers.imported",
                detail={
                    "kind": kind,
                    "imported": len(good),
                    "skipped": len(bad),
                    **(
                        {"consent": "registration_confirmed_at_import"}
                        if kind == PARTICIPANTS
                        else {}
                    ),
                },
            )
    except ValidationError:
        raise ImportRefused(
            _("A row could not be saved, so nothing was imported."), checked
        ) from None
    return ImportResult(imported=len(good), skipped=len(bad), ids=ids)


# Export -----------------------------------------------------------------------------------

PARTICIPANT_EXPORT = [
    "id",
    "display_name",
    "full_name",
    "email",
    "phone",
    "street_address",
    "postal_code",
    "sub_area",
]
MEDIATION_EXPORT = [
    "id",
    "requester",
    "provider",
    "started_on",
    "status",
    "ended_on",
    "reason",
    "active",
]


def _identifier(person: Participant) -> str:
    """What an import finds them by again: e-mail, else phone, else their name."""
    return person.email or person.phone or person.full_name or person.display_name


def _participant_rows() -> list[list[Any]]:
    people = (
        Participant.objects.filter(erased_at__isnull=True).select_related("sub_area").order_by("id")
    )
    return [
        [
            p.pk,
            p.display_name,
            p.full_name,
            p.email,
            p.phone,
            p.street_address,
            p.postal_code,
            p.sub_area.name if p.sub_area else "",
        ]
        for p in people
    ]


def _mediation_rows() -> list[list[Any]]:
    mediations = Mediation.objects.select_related("requester", "provider", "organisation").order_by(
        "id"
    )
    return [
        [
            m.pk,
            _identifier(m.requester),
            _identifier(m.provider) if m.provider else m.organisation.name,
            m.started_on.isoformat(),
            m.status,
            m.ended_on.isoformat() if m.ended_on else "",
            m.reason,
            "yes" if m.active else "no",
        ]
        for m in mediations
    ]


def export_table(*, kind: str, file_format: str, by: Any) -> Export:
    """Participants or mediations as CSV (UTF-8 with a BOM, which Excel in every language
    needs to read UTF-8; `;` or `,` as `csv_delimiter` says) or XLSX, with the column names in
    the interface language (the import reads them back in either language); audited."""
    if kind not in EXPORTED or file_format not in ("csv", "xlsx"):
        raise ValueError(f"{kind}/{file_format}")
    fields = PARTICIPANT_EXPORT if kind == PARTICIPANTS else MEDIATION_EXPORT
    headers = [str(FIELD_LABELS[name]) for name in fields]
    rows = _participant_rows() if kind == PARTICIPANTS else _mediation_rows()
    export = write_table(name=kind, file_format=file_format, headers=headers, rows=rows)
    record_audit_event(
        actor=by,
        action="transfers.exported",
        # Which records left the system (ids only, never their contents).
        detail={
            "kind": kind,
            "format": file_format,
            "rows": len(rows),
            "ids": [row[0] for row in rows],
        },
    )
    return export
