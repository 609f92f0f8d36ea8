"""The participant page's parts (`participant_page` writes the page of them), in Python
with the markup the template wrote, whitespace and all: its words, its links, the consents
with a form each and their history, the certificate, the messages to pass on, the notes, and
the note and certificate forms. Every value is escaped; translations are not, as
`{% translate %}` and `{% blocktranslate %}` write them. The template's nodes for these
(≈ 25 `{% url %}`, ≈ 45 `{% translate %}`, a loop of forms, two form includes with a field
include each, loops with two date filters per row) were most of the page's rendering."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import get_language, gettext_noop

from tijdvoorelkaar.formats import day_text, moment_text
from tijdvoorelkaar.reversed_urls import link, named_links
from tijdvoorelkaar.theming.loaders import current_theme_slug
from tijdvoorelkaar.words import Words

from .forms import CertificateForm, NoteForm
from .timeline import escaped


@dataclass(frozen=True)
class Writing:
    """What each part of one page is written with: its words in its language, the CSRF field
    of its forms (as `{% csrf_token %}` writes it) and whether the participant is erased
    (then there are no forms)."""

    words: dict[str, str]
    language: str
    csrf: str
    erased: bool


# The page's words, translated once per process and language.
WORDS = Words(
    {
        "back": gettext_noop("Back to participants"),
        "number": gettext_noop("Participant number: <strong>%(number)s</strong>"),
        "erased": gettext_noop("erased on %(date)s"),
        "broker_only": gettext_noop("matched only through the broker"),
        "no_email": gettext_noop("no e-mail"),
        "edit": gettext_noop("Edit details"),
        "export": gettext_noop("Download their data (JSON)"),
        "erase": gettext_noop("Erase on request"),
        "work": gettext_noop("Work with them"),
        "ad_new": gettext_noop("Place an ad for them"),
        "conversation_new": gettext_noop("Log a support conversation"),
        "conversations": gettext_noop("all conversations"),
        "mediation_create": gettext_noop("Start a mediation"),
        "mediation_list": gettext_noop("their mediations"),
        "suggest": gettext_noop("Match suggestions for their requests"),
        "referral_in": gettext_noop("Record a referral to us"),
        "referral_out": gettext_noop("Refer them on"),
        "credits_statement": gettext_noop("Their %(name)s: balance and history"),
        "credits_gift": gettext_noop("Record a thank-you from them"),
        "digest": gettext_noop("Digest of new ads"),
        "board": gettext_noop("Routing board"),
        "contact": gettext_noop("Contact details"),
        "full_name": gettext_noop("Full name"),
        "email": gettext_noop("E-mail address"),
        "phone": gettext_noop("Phone"),
        "address": gettext_noop("Address"),
        "sub_area": gettext_noop("Sub-area"),
        "language": gettext_noop("Preferred language"),
        "heard_via": gettext_noop("Heard of us through"),
        "contact_person": gettext_noop("Contact person"),
        "consents": gettext_noop("Consents"),
        "history": gettext_noop("History"),
        "given": gettext_noop("given"),
        "not_given": gettext_noop("not given"),
        "withdraw": gettext_noop("Record withdrawal"),
        "give": gettext_noop("Record consent"),
        "given_on": gettext_noop("given %(date)s"),
        "withdrawn_on": gettext_noop("withdrawn %(date)s"),
        "self_reported": gettext_noop("Self-reported figures"),
        "gender": gettext_noop("Gender"),
        "born_abroad": gettext_noop("Born abroad"),
        "paid_work": gettext_noop("Paid work"),
        "household": gettext_noop("Household"),
        "nothing": gettext_noop("Nothing filled in."),
        "fill_in": gettext_noop("Fill in or change"),
        "only_with_consent": gettext_noop(
            "Only with their consent for self-reported figures. Never required."
        ),
        "vog": gettext_noop("Certificate of conduct (VOG)"),
        "valid": gettext_noop("Valid"),
        "expired": gettext_noop("Expired"),
        "seen": gettext_noop("seen on %(seen)s, counts until %(until)s"),
        "none_seen": gettext_noop("None seen. Needed for volunteers who visit people at home."),
        "record_vog": gettext_noop("Record a certificate seen"),
        "dates_only": gettext_noop("Record only the dates, never what the certificate says."),
        "record": gettext_noop("Record"),
        "held": gettext_noop("Messages to pass on"),
        "held_help": gettext_noop(
            "The platform could not mail these to them: pass them on by phone, on paper or "
            "in person."
        ),
        "passed_on": gettext_noop("Mark as passed on"),  # as the dashboard names it
        "notes": gettext_noop("Notes"),
        "notes_help": gettext_noop(
            "Only brokers and admins of this neighbourhood see notes; every read is recorded."
        ),
        "add_note": gettext_noop("Add note"),
        "no_notes": gettext_noop("No notes."),
        "former": gettext_noop("a former colleague"),
        "edited": gettext_noop("edited"),
        "edit_note": gettext_noop("Edit"),
        "note": gettext_noop("note"),
        "timeline": gettext_noop("Timeline"),
    }
)

# The page's links about one participant (by their id), and those without one.
_ABOUT = {
    "edit": "people:edit",
    "export": "people:export",
    "erase": "people:erase",
    "consent": "people:consent",
    "profile": "people:profile",
    "certificate": "people:certificate",
    "note_add": "people:note-add",
    "ad_new": "brokerage:ad-new",
    "conversation_new": "brokerage:conversation-new",
    "conversations": "brokerage:conversations",
    "credits_statement": "credits:statement",
    "digest": "outreach:participant-digest",
}
_PLAIN = {
    "list": "people:list",
    "mediation_create": "mediations:create",
    "mediation_list": "mediations:list",
    "suggest": "mediations:suggest",
    "referral_in": "referrals:create-in",
    "referral_out": "referrals:create-out",
    "credits_gift": "credits:gift",
    "board": "brokerage:board",
}


def links(pk: int) -> dict[str, str]:
    """The page's links, each URL reversed once per process."""
    return named_links(_ABOUT, pk) | named_links(_PLAIN)


def note_link(pk: int, note_pk: int) -> str:
    return link("people:note-edit", pk, note_pk)


def held_message_link(pk: int, message_pk: int) -> str:
    return link("people:held-handled", pk, message_pk)


def consent_items(consents: Iterable[dict[str, Any]], action: str, writing: Writing) -> str:
    """The consents' list items: each topic, given or not, and (for someone not erased) its
    form to record consent or its withdrawal, posting to `action`."""
    words = {key: escape(writing.words[key]) for key in ("given", "not_given", "withdraw", "give")}
    action, csrf, with_forms = escape(action), writing.csrf, not writing.erased
    return "".join(_consent_item(c, action, csrf, words, with_forms) for c in consents)


def _consent_item(
    consent: dict[str, Any], action: str, csrf: str, words: dict[str, str], with_forms: bool
) -> str:
    label = escape(consent["label"])
    given = consent["given"]
    form = ""
    if with_forms:
        if given:
            choice = (
                '<input type="hidden" name="action" value="withdraw"><button class="link-button" '
                f'type="submit">{words["withdraw"]}<span class="visually-hidden">: '
                f"{label}</span></button>\n      "
            )
        else:
            choice = (
                '<input type="hidden" name="action" value="give"><button class="link-button" '
                f'type="submit">{words["give"]}<span class="visually-hidden">: '
                f"{label}</span></button>"
            )
        form = (
            f'<form method="post" action="{action}" class="inline-form">{csrf}\n'
            f'      <input type="hidden" name="topic" value="{escape(consent["topic"])}">\n'
            f"      {choice}\n    </form>"
        )
    state = words["given"] if given else words["not_given"]
    return f"\n    <li><strong>{label}:</strong> {state}\n    {form}</li>\n  "


def consent_history_items(
    consents: Iterable[dict[str, Any]], labels: dict[str, str], writing: Writing
) -> str:
    """The consents' history as list items: each topic given, and withdrawn, at a moment."""
    zone, words, language = timezone.get_current_timezone(), writing.words, writing.language
    items = []
    for consent in consents:
        label = escaped(labels.get(consent["topic"], consent["topic"]))
        text = words["given_on"] % {"date": moment_text(consent["given_at"], zone, language)}
        if consent["withdrawn_at"]:
            moment = moment_text(consent["withdrawn_at"], zone, language)
            text += ", " + words["withdrawn_on"] % {"date": moment}
        items.append(f"\n    <li>{label}: {text}</li>\n  ")
    return "".join(items)


def certificate_section(
    certificates: list[dict[str, Any]],
    action: str,
    sent_back: forms.BaseForm | None,
    writing: Writing,
) -> str:
    """The certificate of conduct seen last (the longest valid, first of `certificates`), and
    the form to record one (for someone not erased; `sent_back` with its errors)."""
    words, language = writing.words, writing.language
    seen = f"<p>{words['none_seen']}</p>"
    if certificates:
        certificate = certificates[0]
        valid = certificate["seen_on"] <= timezone.localdate() <= certificate["valid_until"]
        days = {
            "seen": day_text(certificate["seen_on"], language),
            "until": day_text(certificate["valid_until"], language),
        }
        seen = (
            f'<p class="status"><strong>{words["valid" if valid else "expired"]}</strong>:\n'
            f"    {words['seen'] % days}</p>\n  "
        )
    form = ""
    if not writing.erased:
        form = (
            f"<details{' open' if sent_back is not None and sent_back.errors else ''}>"
            f"<summary>{words['record_vog']}</summary>\n"
            f'  <p class="help">{words["dates_only"]}</p>\n'
            f'  <form method="post" action="{action}" novalidate>{writing.csrf}\n'
            f"    {form_html(sent_back, CertificateForm)}\n"
            f'    <button class="button" type="submit">{words["record"]}</button>\n'
            "  </form></details>"
        )
    return (
        '<section aria-labelledby="vog-heading" class="card">\n'
        f'  <h2 id="vog-heading">{words["vog"]}</h2>\n'
        f"  {seen}\n  {form}\n</section>\n"
    )


def held_messages_section(messages: list[dict[str, Any]], pk: int, writing: Writing) -> str:
    """The messages the platform could not mail to participant `pk`, each with its form to
    mark it passed on; nothing for none."""
    if not messages:
        return ""
    zone, words, csrf = timezone.get_current_timezone(), writing.words, writing.csrf
    items = []
    for message in messages:
        subject = escaped(message["subject"])
        url = escaped(held_message_link(pk, message["pk"]))
        items.append(
            f'\n    <li class="card"><h3>{subject}</h3><p><small>'
            f"{moment_text(message['created_at'], zone, writing.language)}</small></p>\n"
            f"    <p>{with_line_breaks(message['body'])}</p>\n"
            f'    <form method="post" action="{url}">{csrf}<button class="button" type="submit">'
            f'{words["passed_on"]}<span class="visually-hidden">: {subject}</span></button>'
            "</form></li>\n  "
        )
    return (
        '<section aria-labelledby="held-heading">\n'
        f'  <h2 id="held-heading">{words["held"]}</h2>\n'
        f"  <p>{words['held_help']}</p>\n"
        f'  <ul class="held-messages">{"".join(items)}</ul>\n</section>'
    )


def notes_section(
    notes: list[dict[str, Any]],
    pk: int,
    action: str,
    sent_back: forms.BaseForm | None,
    writing: Writing,
) -> str:
    """The form to add a note (for someone not erased; `sent_back` with its errors), and the
    notes on participant `pk`."""
    words, form = writing.words, ""
    if not writing.erased:
        form = (
            f'<form method="post" action="{action}" novalidate>{writing.csrf}\n'
            f"    {form_html(sent_back, NoteForm)}\n"
            f'    <button class="button" type="submit">{words["add_note"]}</button>\n'
            "  </form>"
        )
    items = _note_items(notes, pk, writing) or f"<p>{words['no_notes']}</p>"
    return (
        '<section aria-labelledby="notes-heading">\n'
        f'  <h2 id="notes-heading">{words["notes"]}</h2>\n'
        f'  <p class="help">{words["notes_help"]}</p>\n'
        f"  {form}\n  {items}\n</section>\n\n"
    )


def _note_items(notes: Iterable[dict[str, Any]], pk: int, writing: Writing) -> str:
    """The notes as articles: author, moment (edited or not), text with its line breaks, and a
    link to edit each."""
    zone, words, language = timezone.get_current_timezone(), writing.words, writing.language
    edited = f" ({words['edited']})"
    items = []
    for note in notes:
        author = escaped(note["author_name"]) if note["author_name"] else words["former"]
        moment = moment_text(note["created_at"], zone, language)
        when = moment + (edited if note["edited_at"] else "")
        url = escaped(note_link(pk, note["pk"]))
        items.append(
            f'<article class="card note">\n    <p><small>{author}, {when}</small></p>\n'
            f"    <p>{with_line_breaks(note['text'])}</p>\n"
            f'    <p><a href="{url}">{words["edit_note"]}<span class="visually-hidden"> '
            # the moment, not only the day: several notes of one day had one link name
            f"{words['note']} {moment}</span></a></p>\n  </article>"
        )
    return "".join(items)


def with_line_breaks(text: str) -> str:
    """`{{ text|linebreaksbr }}`: escaped, each line break a `<br>`."""
    return escape(normalize_newlines(text)).replace("\n", "<br>")


def form_html(sent_back: forms.BaseForm | None, form_class: type[forms.BaseForm]) -> SafeString:
    """The form's fields as `{% include "includes/form.html" %}` writes them: a form sent back
    with errors is rendered; the empty one is the same for every participant, so its HTML is
    kept per process, language and theme (and no form is made for it per request)."""
    if sent_back is not None:
        return _rendered(sent_back)
    return _empty_form_html(form_class, get_language(), current_theme_slug())


@functools.cache
def _empty_form_html(form_class: type[forms.BaseForm], language: str, theme: str) -> SafeString:
    return _rendered(form_class())  # the language and theme are active: they are the key


def _rendered(form: forms.BaseForm) -> SafeString:
    return mark_safe(render_to_string("includes/form.html", {"form": form}))  # noqa: S308
