"""Writes about referrals and group visits. Every change of a referral is audited (ids only)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tenants.people.services.participants import mark_through_broker_only, validate_not_erased

from .models import Direction, GroupVisit, Referral

IN_FIELDS = ("institution", "referrer_name", "referrer_role")
OUT_FIELDS = ("service", "service_name")
COMMON_FIELDS = ("participant", "referred_on", "reason", "category")


def _check_referral(referral: Referral) -> None:
    errors: dict[str, list[str]] = {}
    if referral.referred_on and referral.referred_on > timezone.localdate():
        errors["referred_on"] = [_("The date cannot be in the future.")]
    if referral.direction == Direction.IN:
        if not referral.institution.strip():
            errors["institution"] = [_("Name the institution that referred them.")]
        referral.service = referral.service_name = ""
    else:
        if not referral.service:
            errors["service"] = [_("Choose the service you referred them to.")]
        referral.institution = referral.referrer_name = referral.referrer_role = ""
    if errors:
        raise ValidationError(errors)
    validate_not_erased(referral.participant)
    referral.full_clean()


@transaction.atomic
def record_referral(
    *,
    direction: str,
    participant: Participant,
    referred_on: datetime.date,
    reason: str,
    category: str = "",
    institution: str = "",
    referrer_name: str = "",
    referrer_role: str = "",
    service: str = "",
    service_name: str = "",
    by: Any,
) -> Referral:
    """Record a referral in (institution, referrer) or on (service); audited. Someone
    referred in is from then on matched only through the broker (the method's rule; the
    broker can lift it on their page)."""
    referral = Referral(
        direction=Direction(direction),
        participant=participant,
        referred_on=referred_on,
        reason=reason.strip(),
        category=category,
        institution=institution.strip(),
        referrer_name=referrer_name.strip(),
        referrer_role=referrer_role.strip(),
        service=service,
        service_name=service_name.strip(),
        created_by=by,
    )
    _check_referral(referral)
    referral.save()
    record_audit_event(
        actor=by,
        action="referral.recorded",
        target=referral,
        detail={"participant": participant.pk, "direction": referral.direction},
    )
    if referral.direction == Direction.IN:
        mark_through_broker_only(participant=participant, by=by, why="referral_in")
    return referral


@transaction.atomic
def update_referral(*, referral: Referral, changes: dict[str, Any], by: Any) -> Referral:
    """Change a referral's fields (not its direction); audited with the names of the fields."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    allowed = COMMON_FIELDS + (IN_FIELDS if referral.direction == Direction.IN else OUT_FIELDS)
    changed = []
    for name, value in changes.items():
        if name not in allowed:
            continue
        if isinstance(value, str):
            value = value.strip()
        if getattr(referral, name) != value:
            setattr(referral, name, value)
            changed.append(name)
    if not changed:
        return referral
    _check_referral(referral)
    referral.save(update_fields=[*changed, "updated_at"])
    record_audit_event(
        actor=by, action="referral.changed", target=referral, detail={"fields": sorted(changed)}
    )
    return referral


def _check_group_visit(visit: GroupVisit, joined: list[Participant]) -> None:
    errors: dict[str, list[str]] = {}
    if visit.visited_on and visit.visited_on > timezone.localdate():
        errors["visited_on"] = [_("The date cannot be in the future.")]
    if visit.organisation is None and not visit.group_name.strip():
        errors["group_name"] = [_("Name the group or choose an organisation.")]
    if visit.reached is not None and len(joined) > visit.reached:
        errors["joined"] = [
            _("More people joined (%(joined)s) than were reached (%(reached)s).")
            % {"joined": len(joined), "reached": visit.reached}
        ]
    if errors:
        raise ValidationError(errors)
    visit.full_clean(exclude=["joined"])


@transaction.atomic
def record_group_visit(
    *,
    visited_on: datetime.date,
    reached: int,
    organisation: Organisation | None = None,
    group_name: str = "",
    joined: Iterable[Participant] = (),
    note: str = "",
    by: Any,
) -> GroupVisit:
    """Record a group visit: whom the broker presented to, how many were reached and who of
    them became participants (never more than were reached; not in the future)."""
    joined = list(dict.fromkeys(joined))
    visit = GroupVisit(
        visited_on=visited_on,
        reached=reached,
        organisation=organisation,
        group_name=group_name.strip(),
        note=note.strip(),
        created_by=by,
    )
    _check_group_visit(visit, joined)
    visit.save()
    visit.joined.set(joined)
    record_audit_event(
        actor=by, action="group_visit.recorded", target=visit, detail={"joined": len(joined)}
    )
    return visit


@transaction.atomic
def update_group_visit(
    *,
    visit: GroupVisit,
    visited_on: datetime.date,
    reached: int,
    organisation: Organisation | None,
    group_name: str,
    joined: Iterable[Participant],
    note: str,
    by: Any,
) -> GroupVisit:
    """Replace a group visit's details, with the same rules as recording one."""
    visit = GroupVisit.objects.select_for_update().get(pk=visit.pk)
    joined = list(dict.fromkeys(joined))
    visit.visited_on = visited_on
    visit.reached = reached
    visit.organisation = organisation
    visit.group_name = group_name.strip()
    visit.note = note.strip()
    _check_group_visit(visit, joined)
    visit.save(
        update_fields=["visited_on", "reached", "organisation", "group_name", "note", "updated_at"]
    )
    visit.joined.set(joined)
    record_audit_event(
        actor=by, action="group_visit.changed", target=visit, detail={"joined": len(joined)}
    )
    return visit
