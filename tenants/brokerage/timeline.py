"""The brokerage app's entries on a participant's timeline: support conversations and moves
along the routing. Two queries. Summaries are not shown here (they may be sensitive): the
entry links to the conversations page, which records each read."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.people.models import Participant
from tenants.people.timeline import TimelineEntry

from .models import SupportConversation, TrajectoryMove


def _conversation_at(conversation: SupportConversation) -> datetime.datetime:
    """When it happened: the day it was held, at the time it was logged (if logged that
    day) or at noon (if logged later)."""
    logged = timezone.localtime(conversation.created_at)
    if logged.date() == conversation.held_on:
        return logged
    return timezone.make_aware(datetime.datetime.combine(conversation.held_on, datetime.time(12)))


def entries_for(participant: Participant) -> list[TimelineEntry]:
    entries = []
    conversations_url = f"/broker/participants/{participant.pk}/conversations/"
    for conversation in SupportConversation.objects.filter(participant=participant):
        entries.append(
            TimelineEntry(
                at=_conversation_at(conversation),
                kind="conversation",
                title=_("Support conversation (%(channel)s)")
                % {"channel": conversation.get_channel_display().lower()},
                url=conversations_url,
            )
        )
    moves = TrajectoryMove.objects.filter(trajectory__participant=participant).select_related(
        "from_step", "to_step"
    )
    for move in moves:
        title = (
            _("Routing: from “%(from)s” to “%(to)s”")
            % {"from": move.from_step.display_name, "to": move.to_step.display_name}
            if move.from_step is not None
            else _("Routing: started at “%(to)s”") % {"to": move.to_step.display_name}
        )
        entries.append(TimelineEntry(at=move.at, kind="routing", title=title))
    return entries
