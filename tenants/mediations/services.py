"""Writes of the mediations app: starting and ending mediations, the follow-ups scheduled with
them, volunteer placements, and the brokers' morning digest."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.market.models import Ad, Response
from tenants.organisations.models import Organisation
from tenants.outbox.services import neighbourhood_bounce_address, queue_mail
from tenants.people.models import Participant
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.sites import site_url

from .models import Feedback, FollowUp, Mediation, MediationStatus, Placement
from .selectors import mediation_sides

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


def _schedule_broker_follow_ups(mediation: Mediation, start: datetime.date) -> None:
    weeks = current_neighbourhood().follow_up_weeks
    FollowUp.objects.bulk_create(
        FollowUp(mediation=mediation, due_on=start + datetime.timedelta(weeks=w)) for w in weeks
    )


def _start_errors(
    *,
    requester: Participant,
    provider: Participant | None,
    organisation: Organisation | None,
    ads: list[Ad],
    started_on: datetime.date,
) -> dict[str, list[str]]:
    """What is wrong with the two sides, the start date and the linked ads."""
    errors: dict[str, list[str]] = {}
    if (provider is None) == (organisation is None):
        errors["provider"] = [_("Choose who gives: a participant or an organisation.")]
    elif provider is not None and provider.pk == requester.pk:
        errors["provider"] = [_("A mediation needs two different people.")]
    elif provider is not None and provider.erased_at is not None:
        errors["provider"] = [_("This participant's data was erased.")]
    if requester.erased_at is not None:
        errors["requester"] = [_("This participant's data was erased.")]
    if started_on > timezone.localdate():
        errors["started_on"] = [_("A mediation cannot start in the future.")]
    sides = {requester.pk, provider.pk if provider is not None else None}
    if any(
        ad.participant_id not in sides
        and (organisation is None or ad.organisation_id != organisation.pk)
        for ad in ads
    ):
        errors["ads"] = [_("Link only ads placed by one of the two sides.")]
    return errors


def _schedule_follow_ups(mediation: Mediation) -> None:
    """The broker's follow-ups for an active mediation; the participants' own question for
    one found via the site."""
    if mediation.active:
        _schedule_broker_follow_ups(mediation, mediation.started_on)
    else:
        FollowUp.objects.create(
            mediation=mediation,
            kind=FollowUp.Kind.ASK_PARTICIPANTS,
            due_on=mediation.started_on + ASK_PARTICIPANTS_AFTER,
        )


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
    site. The ads must belong to one of the two sides."""
    ads = list(ads)
    started_on = started_on or timezone.localdate()
    errors = _start_errors(
        requester=requester,
        provider=provider,
        organisation=organisation,
        ads=ads,
        started_on=started_on,
    )
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
    mediation.ads.set(ads)
    _schedule_follow_ups(mediation)
    if created_by is not None:
        record_audit_event(
            actor=created_by,
            action="mediation.started",
            target=mediation,
            detail={"active": active, "ads": [ad.pk for ad in ads]},
        )
    return mediation


# Endings without a match: the reason is what the broker learns from, so it is required.
NEEDS_REASON = frozenset({MediationStatus.NO_MATCH, MediationStatus.CANCELLED})


def _allowed_status(mediation: Mediation, status: str, reason: str) -> MediationStatus:
    """`status` if TRANSITIONS allow it from the current one (with a reason where needed)."""
    try:
        status = MediationStatus(status)
    except ValueError:
        raise ValidationError({"status": _("Choose a valid status.")}) from None
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
    if status in NEEDS_REASON and not reason.strip():
        raise ValidationError({"reason": _("Say in a few words why it ended without a match.")})
    return status


def _end(mediation: Mediation, ended_on: datetime.date | None, by: Any) -> None:
    """Set the end date (default today) and close the follow-ups still open."""
    ended_on = ended_on or timezone.localdate()
    if ended_on < mediation.started_on:
        raise ValidationError({"ended_on": _("The end date is before the start date.")})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("The end date is in the future.")})
    mediation.ended_on = ended_on
    mediation.follow_ups.filter(done_at__isnull=True).update(done_at=timezone.now(), done_by=by)


@transaction.atomic
def set_mediation_status(
    *,
    mediation: Mediation,
    status: str,
    ended_on: datetime.date | None = None,
    reason: str = "",
    by: Any = None,
) -> Mediation:
    """Move a mediation to `status` following TRANSITIONS; ending one closes its follow-ups,
    reopening an active one schedules the broker's follow-ups again.
    Ending without a match (no_match, cancelled) needs a `reason`: the broker learns from it."""
    mediation = Mediation.objects.select_for_update().get(pk=mediation.pk)
    status = _allowed_status(mediation, status, reason)
    if status == MediationStatus.OPEN:
        mediation.ended_on = None
        if mediation.active:  # reopened: the broker follows it up again, counted from today
            _schedule_broker_follow_ups(mediation, timezone.localdate())
    else:
        _end(mediation, ended_on, by)
    mediation.status = status
    mediation.reason = reason.strip()
    mediation.save(update_fields=["status", "ended_on", "reason", "updated_at"])
    if by is not None:
        record_audit_event(
            actor=by, action="mediation.status", target=mediation, detail={"status": status}
        )
    return mediation


@transaction.atomic
def mark_participants_asked(*, follow_up: FollowUp) -> FollowUp:
    """The participants' own follow-up is done: both sides were asked "did it work out?"."""
    follow_up.done_at = timezone.now()
    follow_up.note = "asked"
    follow_up.save(update_fields=["done_at", "note"])
    return follow_up


def _decided_status(mediation: Mediation) -> MediationStatus | None:
    answers = {
        f.participant_id: f.worked_out
        for f in Feedback.objects.filter(mediation=mediation)
        if f.participant_id in {p.pk for p in mediation_sides(mediation)}
    }
    if any(answers.values()):
        return MediationStatus.MATCH
    if answers:
        return MediationStatus.NO_MATCH
    return None


@transaction.atomic
def record_feedback(
    *, mediation: Mediation, participant: Participant, worked_out: bool
) -> Feedback:
    """Store (or change) one side's answer to "did it work out?" and set the mediation's
    status from the answers: a "yes" from either side makes a match; otherwise a "no" makes it
    no match; a later "yes" reopens it and marks it a match (and the other way round). A
    mediation the broker cancelled keeps its status; the answer is still recorded."""
    mediation = (
        Mediation.objects.select_for_update(of=("self",))
        .select_related("requester", "provider", "organisation", "response__ad__participant")
        .get(pk=mediation.pk)
    )
    if participant.pk not in {p.pk for p in mediation_sides(mediation)}:
        raise ValidationError(_("This question was not meant for you."))
    feedback, created = Feedback.objects.get_or_create(
        mediation=mediation, participant=participant, defaults={"worked_out": worked_out}
    )
    if not created and feedback.worked_out != worked_out:
        feedback.worked_out = worked_out
        feedback.save(update_fields=["worked_out"])
    _follow_the_answers(mediation)
    record_audit_event(
        actor=None,
        action="mediation.feedback",
        target=mediation,
        detail={"participant": participant.pk, "worked_out": worked_out},
    )
    return feedback


def _follow_the_answers(mediation: Mediation) -> None:
    target = _decided_status(mediation)
    current = MediationStatus(mediation.status)
    if target is None or current == MediationStatus.CANCELLED or target == current:
        return
    if current != MediationStatus.OPEN:
        mediation = set_mediation_status(mediation=mediation, status=MediationStatus.OPEN)
    set_mediation_status(
        mediation=mediation,
        status=target,
        reason=_("The participants answered: it did not work out.")
        if target == MediationStatus.NO_MATCH
        else "",
    )


@transaction.atomic
def mark_mediation_supported(*, mediation: Mediation, by: Any) -> Mediation:
    """A mediation found via the site that the broker now supports becomes active; while it
    is open, the broker's follow-ups are scheduled from today."""
    mediation = Mediation.objects.select_for_update().get(pk=mediation.pk)
    if mediation.active:
        raise ValidationError({"active": _("The broker already supports this mediation.")})
    mediation.active = True
    mediation.save(update_fields=["active", "updated_at"])
    if mediation.status == MediationStatus.OPEN:
        _schedule_broker_follow_ups(mediation, timezone.localdate())
    record_audit_event(actor=by, action="mediation.supported", target=mediation)
    return mediation


@transaction.atomic
def complete_follow_up(*, follow_up: FollowUp, by: Any, note: str = "") -> FollowUp:
    """Tick off a broker's follow-up, with an optional short note of how it went."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done_at is not None:
        raise ValidationError({"note": _("This follow-up was already done.")})
    note = note.strip()
    if len(note) > FollowUp._meta.get_field("note").max_length:
        raise ValidationError({"note": _("Keep the note short (300 characters at most).")})
    follow_up.done_at = timezone.now()
    follow_up.done_by = by
    follow_up.note = note
    follow_up.save(update_fields=["done_at", "done_by", "note"])
    record_audit_event(
        actor=by,
        action="follow_up.done",
        target=follow_up,
        detail={"mediation": follow_up.mediation_id},
    )
    return follow_up


@transaction.atomic
def record_placement(
    *,
    participant: Participant,
    organisation: Organisation,
    vacancy: Ad | None = None,
    started_on: datetime.date | None = None,
    by: Any,
) -> Placement:
    """Record that a participant found a volunteer place at an organisation."""
    started_on = started_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if participant.erased_at is not None:
        errors["participant"] = [_("This participant's data was erased.")]
    if started_on > timezone.localdate():
        errors["started_on"] = [_("A placement cannot start in the future.")]
    if vacancy is not None and vacancy.organisation_id != organisation.pk:
        errors["vacancy"] = [_("Choose a vacancy of this organisation.")]
    if errors:
        raise ValidationError(errors)
    placement = Placement.objects.create(
        participant=participant, organisation=organisation, vacancy=vacancy, started_on=started_on
    )
    record_audit_event(
        actor=by,
        action="placement.recorded",
        target=placement,
        detail={"participant": participant.pk, "organisation": organisation.pk},
    )
    return placement


@transaction.atomic
def end_placement(
    *, placement: Placement, ended_on: datetime.date | None = None, by: Any
) -> Placement:
    """End a volunteer placement (on `ended_on`, default today)."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    ended_on = ended_on or timezone.localdate()
    if placement.ended_on is not None:
        raise ValidationError({"ended_on": _("This placement has already ended.")})
    if ended_on < placement.started_on:
        raise ValidationError({"ended_on": _("The end date is before the start date.")})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("The end date is in the future.")})
    placement.ended_on = ended_on
    placement.save(update_fields=["ended_on"])
    record_audit_event(actor=by, action="placement.ended", target=placement)
    return placement


@transaction.atomic
def send_morning_digest(*, today: datetime.date | None = None) -> int:
    """Mail every active broker of the current neighbourhood one short digest of what is due;
    nothing when nothing is. Brokers who already got today's digest are skipped, so a retried
    task mails nobody twice. One fixed set of queries, then one outbox row per broker.
    Returns the number of mails queued."""
    from .selectors import DIGEST_PURPOSE, digest_figures, digested_on

    neighbourhood = current_neighbourhood()
    today = today or timezone.localdate()
    figures = digest_figures(today=today)
    if not figures.anything_due:
        return 0
    already = digested_on(day=today, emails=figures.broker_emails)
    recipients = [email for email in figures.broker_emails if email not in already]
    if not recipients:
        return 0
    base = site_url(neighbourhood, "")  # one query for the domain, whatever the list
    context = {
        "neighbourhood": neighbourhood,
        "figures": figures,
        "follow_ups": [
            (follow_up, f"{base}/broker/mediations/{follow_up.mediation_id}/")
            for follow_up in figures.follow_ups
        ],
        "follow_ups_url": f"{base}/broker/mediations/follow-ups/",
        "moderation_url": f"{base}/broker/moderation/",
        "dashboard_url": f"{base}/broker/",
    }
    with translation.override(neighbourhood.default_language):
        subject = _("What is due today in %(name)s") % {"name": neighbourhood.name}
        body = render_to_string("mediations/mail/digest.txt", context)
    bounces = neighbourhood_bounce_address()  # one query, however many brokers
    for email in recipients:
        queue_mail(
            to=email, subject=subject, body=body, purpose=DIGEST_PURPOSE, bounce_address=bounces
        )
    return len(recipients)
