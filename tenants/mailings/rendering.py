"""The newsletter as one reader reads it, and the mail and web version made from that.

What the platform wrote (the default subject and introduction, the contact block with the
broker's phone and office hours, the sections' headings) is written in the reader's
language; what the broker wrote goes out as she wrote it. A draft keeps the platform's texts
in its own language (`Newsletter.language`), so that the broker reads and edits them there,
and each section's heading also as its source (`"heading": {"msgid", "params"}`, from the
`newsletter_sections` hook). A text that still reads as the platform wrote it in the draft's
language is the platform's, and is written again in the reader's; one the broker changed is
hers. A section stored without a `heading` (drafts from before headings were stored so) keeps
its title as it is.

A send writes the issue once per language (`render_newsletter`, for the outbox batch's
contents), never once per recipient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.sites import site_url

from .models import Newsletter


@dataclass(frozen=True)
class IssueText:
    """An issue in one reader's language: what the mail and the web version show."""

    language: str
    subject: str
    intro: str
    contact: str
    sections: list[dict[str, Any]]  # {"title", "items"}: the visible ones that have items


# --- what the platform writes -------------------------------------------------------------


def default_subject(month: date, language: str) -> str:
    with translation.override(language):
        return _("Newsletter %(name)s, %(month)s") % {
            "name": current_neighbourhood().name,
            "month": date_format(month, "F Y"),
        }


def default_intro(language: str) -> str:
    with translation.override(language):
        return _(
            "What neighbours asked for and offered this month. Can you help, or do you "
            "need a hand? Reply to an ad on the website, or call us."
        )


def contact_text(language: str) -> str:
    """The broker's phone, office hours and address, as the neighbourhood's settings say."""
    neighbourhood = current_neighbourhood()
    with translation.override(language):
        lines = []
        if neighbourhood.broker_phone:
            lines.append(_("Phone: %s") % neighbourhood.broker_phone)
        if neighbourhood.broker_office_hours:
            lines.append(_("Office hours: %s") % neighbourhood.broker_office_hours)
        if neighbourhood.broker_address:
            lines.append(_("Address: %s") % neighbourhood.broker_address)
    return "\n".join(lines)


def heading_in(heading: Any, language: str) -> str | None:
    """A stored heading (`{"msgid", "params"}`) in `language`; None when there is none or it
    cannot be written (a malformed one sent through the API)."""
    if not isinstance(heading, dict) or not isinstance(heading.get("msgid"), str):
        return None
    if not heading["msgid"]:
        return None  # gettext("") is the catalogue's header
    params = heading.get("params") or {}
    with translation.override(language):
        try:
            return _(heading["msgid"]) % params if params else _(heading["msgid"])
        except (KeyError, TypeError, ValueError):
            return None


# --- the issue for one reader -------------------------------------------------------------


def _same(stored: str, written: str | None) -> bool:
    # A text area sends CRLF and the editor trims: compare the words, not the whitespace.
    return written is not None and stored.split() == written.split()


def _in_language(stored: str, platform: Any, draft: str, language: str) -> str:
    """`stored`, or the platform's text in `language` when `stored` is what the platform
    wrote in the draft's language. `platform(language)` writes it."""
    if language != draft and _same(stored, platform(draft)):
        return str(platform(language))
    return stored


def subject_in(newsletter: Newsletter, language: str) -> str:
    subject = _in_language(
        newsletter.subject,
        lambda lang: default_subject(newsletter.issue_month, lang),
        newsletter.language,
        language,
    )
    return " ".join(subject.split())


def _sections_in(newsletter: Newsletter, language: str) -> list[dict[str, Any]]:
    neighbourhood = current_neighbourhood()
    sections = []
    for section in newsletter.sections:
        switch = section.get("only_if")
        if not section.get("items") or (switch and not getattr(neighbourhood, switch, False)):
            continue  # a switch that is now off (credits) leaves no trace
        heading = section.get("heading")
        title = _in_language(
            section.get("title", ""),
            lambda lang, heading=heading: heading_in(heading, lang),
            newsletter.language,
            language,
        )
        sections.append({"title": title, "items": section["items"]})
    return sections


def issue_in(newsletter: Newsletter, language: str) -> IssueText:
    """The issue as a reader in `language` reads it (the visitor of the web version, each
    group of recipients of a send)."""
    draft = newsletter.language
    return IssueText(
        language=language,
        subject=subject_in(newsletter, language),
        intro=_in_language(newsletter.intro, default_intro, draft, language),
        contact=_in_language(newsletter.contact, contact_text, draft, language),
        sections=_sections_in(newsletter, language),
    )


def render_newsletter(newsletter: Newsletter, language: str) -> dict[str, str]:
    """Subject, plain text and HTML of the newsletter in `language`, with the slot
    `[[unsubscribe_url]]` for each recipient's own link (the outbox fills it)."""
    from tijdvoorelkaar.printing.document import theme_for

    neighbourhood = current_neighbourhood()
    theme, accent = theme_for(neighbourhood)
    colours = dict(theme.colours)
    if accent:
        colours["primary"] = accent
    issue = issue_in(newsletter, language)
    context = {
        "newsletter": newsletter,
        "issue": issue,
        "neighbourhood": neighbourhood,
        "colours": colours,
        "web_url": site_url(neighbourhood, f"/newsletter/{newsletter.number}/"),
        "archive_url": site_url(neighbourhood, "/newsletter/"),
        "unsubscribe_url": "[[unsubscribe_url]]",
        "language": language,
    }
    with translation.override(language):
        return {
            "subject": issue.subject,
            "text": render_to_string("mailings/mail/newsletter.txt", context),
            "html": render_to_string("mailings/mail/newsletter.html", context),
        }
