"""A participant's page is a timeline: what happened with them, newest first, gathered from
every app that has something to say (`<app>.timeline.entries_for(participant)`)."""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass

from .models import Participant


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str  # a short code: "registered", "ad", "mediation", "note", "conversation"...
    title: str  # already translated, shown to staff only
    url: str = ""
    detail: str = ""


def timeline_apps() -> list[str]:
    from tijdvoorelkaar.urls_neighbourhood import SITE_APPS

    return SITE_APPS


def timeline_for(participant: Participant) -> list[TimelineEntry]:
    """Every app's entries for `participant`, newest first. Each app's `entries_for` must run
    a fixed number of queries, so the page does too."""
    entries: list[TimelineEntry] = []
    for app in timeline_apps():
        try:
            module = importlib.import_module(f"{app}.timeline")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.timeline":
                raise
            continue
        entries.extend(module.entries_for(participant))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
