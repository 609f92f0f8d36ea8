"""The one registry of what each app adds to the places every app shares.

An app declares its share in its own `contributions.py`, as `CONTRIBUTIONS = Contributions(...)`:
the functions that seed a new neighbourhood, add demo content, give a participant's timeline
its entries, add to a participant's data export and erasure, or add to an organisation's page
(as dotted paths, so declaring imports no models), its periodic jobs and its links in the
staff workspace's menu. Provisioning, the demo, the timeline, people's privacy services, the
organisation pages, the beat schedule (in settings) and the menu read them here, in the order
of the apps in the settings. A new app plugs in by declaring, not by editing them; and a
lower app (people, organisations) thus reaches the apps above it without importing them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from django.utils.module_loading import import_string

Hook = Literal[
    "seed",
    "demo",
    "timeline",
    "export",
    "erase",
    "public_face_changed",
    "organisation_page",
    "organisation_counts",
    "newsletter_sections",
    "statistics",
    "mail_sender",
    "bounce_address",
    "undeliverable",
    "recipient_refused",
]


@dataclass(frozen=True)
class MenuItem:
    """A link in the staff workspace's menu (`brokerage/base.html`)."""

    position: int  # where it stands among every app's links: 10, 20, ...
    label: str  # gettext_lazy: shown in the reader's language
    path: str
    also: tuple[str, ...] = ()  # other paths under which it is the current page
    exact: bool = False  # current on `path` itself only (the workspace's home)
    only_if: str = ""  # a Neighbourhood switch that must be on ("credits_enabled"), or none
    label_from: str = ""  # a Neighbourhood field that names it there ("credit_name"), or none

    def is_shown(self, neighbourhood: Any) -> bool:
        return not self.only_if or bool(getattr(neighbourhood, self.only_if, False))

    def label_for(self, neighbourhood: Any) -> str:
        return (getattr(neighbourhood, self.label_from, "") if self.label_from else "") or str(
            self.label
        )

    def is_current(self, path: str) -> bool:
        if self.exact:
            return path == self.path
        return any(path.startswith(prefix) for prefix in (self.path, *self.also))


@dataclass(frozen=True)
class Contributions:
    """What one app adds. Each hook is the dotted path of a function, or "" for none."""

    # (neighbourhood) -> None: default rows, inside the new schema and its transaction.
    seed: str = ""
    # (neighbourhood) -> None: demo content; runs after the apps listed before this one.
    demo: str = ""
    # A `people.timeline.TimelineSource`: the rows this app reads for a participant's
    # timeline (`values()` querysets, run with every app's in one statement) and its entries.
    timeline: str = ""
    # (participant) -> dict: this app's sections of the participant's data export.
    export: str = ""
    # (participant, erased_by) -> dict[str, int]: anonymise this app's rows of a participant
    # being erased (inside the erasure's transaction); what it did, counted, for the audit.
    erase: str = ""
    # () -> None: what the public pages show changed outside the app that caches them (a
    # participant's display name or sub-area, new sub-areas, a restore): refresh it.
    public_face_changed: str = ""
    # (organisation) -> dict: what this app adds to an organisation's page (its context).
    organisation_page: str = ""
    # () -> dict[str, Aggregate]: counts this app adds to each row of the organisations list.
    organisation_counts: str = ""
    # (since: datetime) -> list[NewsletterSection]: what this app puts in the monthly
    # newsletter (new since `since`); read by mailings, which sits above and writes the
    # headings in each reader's language.
    newsletter_sections: str = ""
    # (start, end) -> dict: figures for the report (tenants/statistics) from an app it may not
    # import (one in its own layer), by the keys of statistics/figures.py; constant queries.
    statistics: str = ""
    # () -> str: the name the neighbourhood's mail is sent under ("" for none set); declared by
    # mailings (its settings hold it), read by apps that may not import it (outreach's digest).
    mail_sender: str = ""
    # () -> str: the neighbourhood's bounce address for bulk mail ("" for none); declared by
    # mailings, read by outreach's digest (the envelope sender, with a VERP token).
    bounce_address: str = ""
    # (emails: list[str], reason: str) -> int: these addresses hard-bounced or complained;
    # stop what this app mails them in bulk, and say how many choices that stopped. Read by
    # mailings' `mark_undeliverable` (outreach stops the digest).
    undeliverable: str = ""
    # (email: str) -> None: the mail server refused this address for good at sending (a 5xx
    # to the recipient, whatever the mail); read by the outbox. Declared by mailings, whose
    # `mark_undeliverable` stops the newsletter and, through `undeliverable`, the digest.
    recipient_refused: str = ""
    # Celery beat entries by name; `every_neighbourhood()` builds a per-neighbourhood one.
    beat: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    # Links in the staff workspace's menu.
    staff_menu: tuple[MenuItem, ...] = ()


@dataclass(frozen=True)
class NewsletterItem:
    """One entry of a newsletter section: an ad, a story, an offer. Only what is public, and
    only what people wrote (a title, the start of a text): it goes out as it is, in every
    reader's mail."""

    title: str
    text: str
    url: str  # absolute (`sites.site_url`): the mail is read outside the site
    image_url: str | None = None


@dataclass(frozen=True)
class NewsletterSection:
    """A section of the monthly newsletter, as an app declares it (`newsletter_sections`).

    The heading is not written in any one language: `heading` is its English source text,
    marked with `gettext_noop` (so it is in the catalogue), with `heading_params` for its
    placeholders. Mailings stores both with the draft and translates them when it writes
    the issue in a reader's language (once per language, not per recipient)."""

    heading: str  # gettext_noop("New requests"); "%(credits)s" placeholders from heading_params
    items: list[NewsletterItem] = field(default_factory=list)
    # A neighbourhood switch (e.g. "credits_enabled"): the section shows only while it is on.
    only_if: str = ""
    heading_params: dict[str, str] = field(default_factory=dict)


NOTHING = Contributions()


def every_neighbourhood(task_name: str, schedule: Any) -> dict[str, Any]:
    """A beat entry that runs `task_name` once in every active neighbourhood: beat queues
    `platform.fan_out`, which queues the task per neighbourhood, in its schema."""
    return {"task": "platform.fan_out", "schedule": schedule, "args": (task_name,)}


@cache
def declared_by(app_name: str) -> Contributions:
    """What the app `app_name` declares in its `contributions.py` (nothing without one)."""
    try:
        module = importlib.import_module(f"{app_name}.contributions")
    except ModuleNotFoundError as error:
        if error.name != f"{app_name}.contributions":
            raise  # the module exists but imports something missing: say so
        return NOTHING
    return module.CONTRIBUTIONS


def hooks(kind: Hook, app_names: Iterable[str] | None = None) -> list[Callable[..., Any]]:
    """The `kind` functions the apps declare, in the order of `app_names` (by default the
    apps that live in a neighbourhood's schema, TENANT_APPS)."""
    if app_names is None:
        from django.conf import settings

        app_names = settings.TENANT_APPS
    paths = (getattr(declared_by(app), kind) for app in app_names)
    return [import_string(path) for path in paths if path]


def beat_schedule(app_names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Every periodic job the apps declare, as Celery's beat schedule (read in settings)."""
    schedule: dict[str, dict[str, Any]] = {}
    for app in app_names:
        schedule.update(declared_by(app).beat)
    return schedule


def staff_menu() -> list[MenuItem]:
    """The staff workspace's menu: every neighbourhood app's links, by position."""
    from django.conf import settings

    items = (item for app in settings.TENANT_APPS for item in declared_by(app).staff_menu)
    return sorted(items, key=lambda item: item.position)
