"""Writes of the broker's workspace: the routing steps, moving participants along them,
support conversations, and marking what waited on the dashboard as dealt with."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.market.models import Response
from tenants.people.models import Participant
from tenants.people.services.participants import validate_not_erased

from .models import Channel, RoutingStep, SupportConversation, Trajectory, TrajectoryMove


def _clean_name(name: str, *, exclude_id: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the step a name.")})
    if len(name) > 80:
        raise ValidationError({"name": _("Keep the name under 80 characters.")})
    same = RoutingStep.objects.filter(is_active=True, name__iexact=name)
    if exclude_id is not None:
        same = same.exclude(pk=exclude_id)
    if same.exists():
        raise ValidationError({"name": _("There is already a step with this name.")})
    return name


@transaction.atomic
def add_routing_step(*, name: str, by: Any, name_en: str = "") -> RoutingStep:
    """Add a step (named in Dutch, optionally in English) after the last one; the admin can
    move it up afterwards."""
    name = _clean_name(name)
    last = RoutingStep.objects.aggregate(last=Max("position"))["last"] or 0
    step = RoutingStep.objects.create(
        name=name, name_en=" ".join(name_en.split())[:80], position=last + 1
    )
    record_audit_event(actor=by, action="routing.step_added", target=step)
    return step


@transaction.atomic
def rename_routing_step(*, step: RoutingStep, name: str, by: Any, name_en: str = "") -> RoutingStep:
    """Rename a step in Dutch and English (empty English: English readers see the Dutch)."""
    step.name = _clean_name(name, exclude_id=step.pk)
    step.name_en = " ".join(name_en.split())[:80]
    step.save(update_fields=["name", "name_en"])
    record_audit_event(actor=by, action="routing.step_renamed", target=step)
    return step


@transaction.atomic
def move_routing_step(*, step: RoutingStep, direction: str, by: Any) -> RoutingStep:
    """Swap a step with its active neighbour "up" (earlier) or "down" (later)."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move a step up or down.")})
    active = list(RoutingStep.objects.select_for_update().filter(is_active=True))
    index = next((i for i, s in enumerate(active) if s.pk == step.pk), None)
    if index is None:
        raise ValidationError(_("A retired step has no place in the order."))
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(active):
        return step
    # Renumber all active steps so that equal positions never make the order ambiguous.
    active[index], active[other_index] = active[other_index], active[index]
    for position, item in enumerate(active, start=1):
        item.position = position
    RoutingStep.objects.bulk_update(active, ["position"])
    record_audit_event(
        actor=by, action="routing.step_moved", target=step, detail={"direction": direction}
    )
    step.refresh_from_db()
    return step


@transaction.atomic
def retire_routing_step(*, step: RoutingStep, by: Any) -> RoutingStep:
    """Take a step out of use. Nobody may be at it, and at least two steps must remain."""
    step = RoutingStep.objects.select_for_update().get(pk=step.pk)
    if not step.is_active:
        return step
    if RoutingStep.objects.filter(is_active=True).count() <= 2:
        raise ValidationError(_("The routing needs at least two steps."))
    waiting = step.trajectories.count()
    if waiting:
        raise ValidationError(
            _("%(count)d participants are at this step; move them to another step first.")
            % {"count": waiting}
        )
    step.is_active = False
    step.save(update_fields=["is_active"])
    record_audit_event(actor=by, action="routing.step_retired", target=step)
    return step


@transaction.atomic
def restore_routing_step(*, step: RoutingStep, by: Any) -> RoutingStep:
    """Bring a retired step back, at the end of the routing."""
    if step.is_active:
        return step
    step.name = _clean_name(step.name, exclude_id=step.pk)
    step.is_active = True
    step.position = (RoutingStep.objects.aggregate(last=Max("position"))["last"] or 0) + 1
    step.save(update_fields=["name", "is_active", "position"])
    record_audit_event(actor=by, action="routing.step_restored", target=step)
    return step


def first_step() -> RoutingStep:
    step = RoutingStep.objects.filter(is_active=True).first()
    if step is None:
        raise ValidationError(_("This neighbourhood has no routing steps."))
    return step


@transaction.atomic
def start_trajectory(
    *, participant: Participant, by: Any = None, step: RoutingStep | None = None
) -> Trajectory:
    """Put a participant at the first step (or `step`). Returns the existing trajectory if
    they already have one."""
    existing = Trajectory.objects.filter(participant=participant).first()
    if existing is not None:
        return existing
    validate_not_erased(participant)
    step = step or first_step()
    if not step.is_active:
        raise ValidationError({"step": _("This step is no longer in use.")})
    now = timezone.now()
    trajectory = Trajectory.objects.create(
        participant=participant, step=step, moved_at=now, moved_by=by
    )
    TrajectoryMove.objects.create(trajectory=trajectory, to_step=step, at=now, by=by)
    if by is not None:
        record_audit_event(
            actor=by, action="trajectory.started", target=trajectory, detail={"step": step.pk}
        )
    return trajectory


@transaction.atomic
def move_trajectory(*, participant: Participant, to_step: RoutingStep, by: Any) -> Trajectory:
    """Move a participant to another step (starting their trajectory if it has not been yet),
    keeping the move in the history and the audit log. Moving to the same step does nothing."""
    if not to_step.is_active:
        raise ValidationError({"step": _("This step is no longer in use.")})
    trajectory = Trajectory.objects.select_for_update().filter(participant=participant).first()
    if trajectory is None:
        return start_trajectory(participant=participant, by=by, step=to_step)
    if trajectory.step_id == to_step.pk:
        return trajectory
    now = timezone.now()
    TrajectoryMove.objects.create(
        trajectory=trajectory, from_step_id=trajectory.step_id, to_step=to_step, at=now, by=by
    )
    record_audit_event(
        actor=by,
        action="trajectory.moved",
        target=trajectory,
        detail={"from": trajectory.step_id, "to": to_step.pk},
    )
    trajectory.step = to_step
    trajectory.moved_at = now
    trajectory.moved_by = by
    trajectory.save(update_fields=["step", "moved_at", "moved_by"])
    return trajectory


@transaction.atomic
def log_support_conversation(
    *,
    participant: Participant,
    by: Any,
    channel: str,
    summary: str,
    held_on: datetime.date | None = None,
) -> SupportConversation:
    """Record a support conversation. Going past the neighbourhood's limit is allowed (the
    form warns first): the method's rule is a guide for the broker, not a lock."""
    validate_not_erased(participant)
    held_on = held_on or timezone.localdate()
    summary = summary.strip()
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = [_("A conversation cannot be held in the future.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Choose how the conversation took place.")]
    if not summary:
        errors["summary"] = [_("Write one or two sentences about the conversation.")]
    elif len(summary) > 500:
        errors["summary"] = [_("Keep the summary under 500 characters.")]
    if errors:
        raise ValidationError(errors)
    conversation = SupportConversation.objects.create(
        participant=participant, held_on=held_on, by=by, channel=channel, summary=summary
    )
    record_audit_event(
        actor=by,
        action="support_conversation.logged",
        target=conversation,
        detail={"participant": participant.pk},
    )
    return conversation


@transaction.atomic
def mark_response_seen(*, response: Response, by: Any) -> Response:
    """The broker has seen a response that was held for them (and will pass it on)."""
    if response.seen_by_broker_at is None:
        response.seen_by_broker_at = timezone.now()
        response.save(update_fields=["seen_by_broker_at"])
        record_audit_event(actor=by, action="response.seen_by_broker", target=response)
    return response
