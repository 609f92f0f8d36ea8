"""Writes about organisations on the social map: create, change, (de)activate, members."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.people.models import Participant
from tenants.people.services.participants import validate_not_erased
from tijdvoorelkaar.contributions import hooks

from .models import Organisation

EDITABLE_FIELDS = (
    "name",
    "kind",
    "description",
    "sub_area",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
)


def _name_is_free(name: str, exclude_id: int | None = None) -> None:
    others = Organisation.objects.filter(name__iexact=name)
    if exclude_id is not None:
        others = others.exclude(pk=exclude_id)
    if others.exists():
        raise ValidationError({"name": [_("An organisation with this name already exists.")]})


@transaction.atomic
def create_organisation(*, by: Any, **fields: Any) -> Organisation:
    """Put an organisation on the social map; the name is unique (whatever its case)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    organisation = Organisation(
        **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    )
    _name_is_free(organisation.name)
    organisation.full_clean()
    organisation.save()
    record_audit_event(actor=by, action="organisation.created", target=organisation)
    return organisation


@transaction.atomic
def update_organisation(
    *, organisation: Organisation, changes: dict[str, Any], by: Any
) -> Organisation:
    """Change an organisation's details; the audit names the changed fields."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = []
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"not editable: {name}")
        if isinstance(value, str):
            value = value.strip()
        if getattr(organisation, name) != value:
            setattr(organisation, name, value)
            changed.append(name)
    if not changed:
        return organisation
    if "name" in changed:
        _name_is_free(organisation.name, exclude_id=organisation.pk)
    organisation.full_clean()
    organisation.save(update_fields=changed)
    if "name" in changed:
        for refresh in hooks("public_face_changed"):  # vacancy cards name the organisation
            refresh()
    record_audit_event(
        actor=by,
        action="organisation.changed",
        target=organisation,
        detail={"fields": sorted(changed)},
    )
    return organisation


@transaction.atomic
def set_organisation_active(*, organisation: Organisation, active: bool, by: Any) -> Organisation:
    """Deactivate an organisation (it leaves the map and its lists; its history stays) or
    activate it again."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.is_active != active:
        organisation.is_active = active
        organisation.save(update_fields=["is_active"])
        record_audit_event(
            actor=by,
            action="organisation.activated" if active else "organisation.deactivated",
            target=organisation,
        )
    return organisation


@transaction.atomic
def add_organisation_member(
    *, organisation: Organisation, participant: Participant, by: Any
) -> None:
    """Let `participant` post vacancies for `organisation`."""
    validate_not_erased(participant)
    if not organisation.is_active:
        raise ValidationError(_("This organisation is not active."))
    organisation.members.add(participant)
    record_audit_event(
        actor=by,
        action="organisation.member_added",
        target=organisation,
        detail={"participant": participant.pk},
    )


@transaction.atomic
def remove_organisation_member(
    *, organisation: Organisation, participant: Participant, by: Any
) -> None:
    """Take away `participant`'s right to post vacancies for `organisation`."""
    organisation.members.remove(participant)
    record_audit_event(
        actor=by,
        action="organisation.member_removed",
        target=organisation,
        detail={"participant": participant.pk},
    )
