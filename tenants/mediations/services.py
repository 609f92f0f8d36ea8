"""Starting and ending mediations, and the follow-ups scheduled with them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.market.models import Ad, Response
from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from .models import FollowUp, Mediation, MediationStatus

# Residents who found each other via the site are asked themselves, once, after two weeks.
ASK_PARTICIPANTS_AFTER = datetime.timedelta(weeks=2)

# Which status may follow which; an ended mediation may be reopened (a mistake corrected).
TRANSITIONS = {
    MediationStatus.OPEN: {
        MediationStatus.MATCH,
        MediationStatus.NO_MATCH,
        MediationStatus.CANCELLED,
    },
    MediationStatus.MATCH: {MediationStatus.OPEN},
    MediationStatus.NO_MATCH: {MediationStatus.OPEN},
    MediationStatus.CANCELLED: {MediationStatus.OPEN},
}


@transaction.atomic
def start_mediation(
    *,
    requester: Participant,
    provider: Participant | None = None,
    organisation: Organisation | None = None,
    ads: Iterable[Ad] = (),
    active: bool,
    started_on: datetime.date | None = None,
    created_by: Any = None,
    response: Response | None = None,
) -> Mediation:
    """Record a mediation and schedule its follow-ups: the broker's (after the neighbourhood's
    follow-up weeks) for an active one, the participants' own question for one found via the
    site."""
    errors: dict[str, list[str]] = {}
    if (provider is None) == (organisation is None):
        errors["provider"] = [_("Choose who gives: a participant or an organisation.")]
    elif provider is not None and provider.pk == requester.pk:
        errors["provider"] = [_("A mediation needs two different people.")]
    started_on = started_on or timezone.localdate()
    if started_on > timezone.localdate():
        errors["started_on"] = [_("A mediation cannot start in the future.")]
    if errors:
        raise ValidationError(errors)
    mediation = Mediation.objects.create(
        requester=requester,
        provider=provider,
        organisation=organisation,
        active=active,
        started_on=started_on,
        created_by=created_by,
        response=response,
    )
    mediation.ads.set(list(ads))
    if active:
        weeks = current_neighbourhood().follow_up_weeks
        FollowUp.objects.bulk_create(
            FollowUp(mediation=mediation, due_on=started_on + datetime.timedelta(weeks=w))
            for w in weeks
        )
    else:
        FollowUp.objects.create(
            mediation=mediation,
            kind=FollowUp.Kind.ASK_PARTICIPANTS,
            due_on=started_on + ASK_PARTICIPANTS_AFTER,
        )
    if created_by is not None:
        record_audit_event(actor=created_by, action="mediation.started", target=mediation)
    return mediation


@transaction.atomic
def set_mediation_status(
    *,
    mediation: Mediation,
    status: str,
    ended_on: datetime.date | None = None,
    reason: str = "",
    by: Any = None,
) -> Mediation:
    """Move a mediation to `status` following TRANSITIONS; ending one closes its follow-ups."""
    mediation = Mediation.objects.select_for_update().get(pk=mediation.pk)
    status = MediationStatus(status)
    if status not in TRANSITIONS[MediationStatus(mediation.status)]:
        raise ValidationError(
            {
                "status": _("A mediation that is %(current)s cannot become %(new)s.")
                % {
                    "current": MediationStatus(mediation.status).label,
                    "new": status.label,
                }
            }
        )
    if status == MediationStatus.OPEN:
        mediation.ended_on = None
    else:
        ended_on = ended_on or timezone.localdate()
        if ended_on < mediation.started_on:
            raise ValidationError({"ended_on": _("The end date is before the start date.")})
        if ended_on > timezone.localdate():
            raise ValidationError({"ended_on": _("The end date is in the future.")})
        mediation.ended_on = ended_on
        mediation.follow_ups.filter(done_at__isnull=True).update(done_at=timezone.now(), done_by=by)
    mediation.status = status
    mediation.reason = reason.strip()
    mediation.save(update_fields=["status", "ended_on", "reason", "updated_at"])
    if by is not None:
        record_audit_event(
            actor=by, action="mediation.status", target=mediation, detail={"status": status}
        )
    return mediation
