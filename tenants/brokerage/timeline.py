"""The brokerage app's entries on a participant's timeline: support conversations and moves
along the routing. Summaries are not shown here (they may be sensitive): the
entry links to the conversations page, which records each read."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from tenants.people.models import Participant
from tenants.people.timeline import Found, TimelineEntry, TimelineSource, at_end_of_day
from tijdvoorelkaar.combined_reads import Rows
from tijdvoorelkaar.translated_names import name_in_language
from tijdvoorelkaar.words import Words, in_active_language

from .models import Channel, SupportConversation, TrajectoryMove


def _conversation_at(conversation: dict[str, Any]) -> datetime.datetime:
    """When it happened: the day it was held, at the time it was logged (if logged that
    day) or as a day (if logged later)."""
    logged = timezone.localtime(conversation["created_at"])
    if logged.date() == conversation["held_on"]:
        return logged
    return at_end_of_day(conversation["held_on"])


def _reads(participant: Participant) -> dict[str, Rows]:
    conversations = SupportConversation.objects.filter(participant=participant)
    moves = TrajectoryMove.objects.filter(trajectory__participant=participant)
    return {
        "conversations": Rows(conversations.values("created_at", "held_on", "channel")),
        "moves": Rows(
            moves.values(
                "at",
                "from_step_id",
                from_name=F("from_step__name"),
                from_en=F("from_step__name_en"),
                to_name=F("to_step__name"),
                to_en=F("to_step__name_en"),
            )
        ),
    }


_WORDS = Words(
    {
        "conversation": gettext_noop("Support conversation (%(channel)s)"),
        "moved": gettext_noop("Routing: from “%(from)s” to “%(to)s”"),
        "started": gettext_noop("Routing: started at “%(to)s”"),
    }
)
_CHANNELS = Words.of_choices(Channel)


def _entries(participant: Participant, found: Found) -> list[TimelineEntry]:
    entries = []
    conversations_url = f"/broker/participants/{participant.pk}/conversations/"
    words, channels = in_active_language(_WORDS, _CHANNELS)
    for conversation in found["conversations"]:
        channel = channels.get(conversation["channel"], conversation["channel"])
        entries.append(
            TimelineEntry(
                at=_conversation_at(conversation),
                kind="conversation",
                title=words["conversation"] % {"channel": str(channel).lower()},
                url=conversations_url,
            )
        )
    for move in found["moves"]:
        to_step = name_in_language(move["to_name"], move["to_en"])
        title = (
            words["moved"]
            % {"from": name_in_language(move["from_name"], move["from_en"]), "to": to_step}
            if move["from_step_id"] is not None
            else words["started"] % {"to": to_step}
        )
        entries.append(TimelineEntry(at=move["at"], kind="routing", title=title))
    return entries


TIMELINE = TimelineSource(reads=_reads, entries=_entries)
