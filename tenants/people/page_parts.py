"""The participant page's context (`detail_context`), and the parts of it written in Python
with the markup the template wrote (whitespace and all): its links, the consents with a form
each and their history, the notes, and the note and certificate forms. The template's nodes
for these (≈ 25 `{% url %}`, a loop of forms, two form includes with a field include each,
loops with two date filters per row) were most of the page's rendering."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import get_language, gettext

from tijdvoorelkaar.formats import day_text
from tijdvoorelkaar.reversed_urls import link
from tijdvoorelkaar.theming.loaders import current_theme_slug
from tijdvoorelkaar.theming.widgets import csrf_input

from . import selectors
from .forms import LANGUAGE_CHOICES, CertificateForm, NoteForm
from .models import ConsentTopic
from .timeline import escaped, timeline_items

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
    return {key: link(name, pk) for key, name in _ABOUT.items()} | {
        key: link(name) for key, name in _PLAIN.items()
    }


def note_link(pk: int, note_pk: int) -> str:
    return link("people:note-edit", pk, note_pk)


def held_message_link(pk: int, message_pk: int) -> str:
    return link("people:held-handled", pk, message_pk)


def consent_items(
    consents: Iterable[dict[str, Any]], *, action: str, csrf_token: object, with_forms: bool
) -> SafeString:
    """The consents' list items: each topic, given or not, and (`with_forms`) its form to
    record consent or its withdrawal, posting to `action` with the page's CSRF token (as
    `{% csrf_token %}` writes it)."""
    csrf = csrf_input(csrf_token)
    words = {
        "given": escape(gettext("given")),
        "not given": escape(gettext("not given")),
        "Record withdrawal": escape(gettext("Record withdrawal")),
        "Record consent": escape(gettext("Record consent")),
    }
    action = escape(action)
    return mark_safe(  # noqa: S308 - every value escaped above or below
        "".join(_consent_item(consent, action, csrf, words, with_forms) for consent in consents)
    )


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
                f'type="submit">{words["Record withdrawal"]}<span class="visually-hidden">: '
                f"{label}</span></button>\n      "
            )
        else:
            choice = (
                '<input type="hidden" name="action" value="give"><button class="link-button" '
                f'type="submit">{words["Record consent"]}<span class="visually-hidden">: '
                f"{label}</span></button>"
            )
        form = (
            f'<form method="post" action="{action}" class="inline-form">{csrf}\n'
            f'      <input type="hidden" name="topic" value="{escape(consent["topic"])}">\n'
            f"      {choice}\n    </form>"
        )
    state = words["given"] if given else words["not given"]
    return f"\n    <li><strong>{label}:</strong> {state}\n    {form}</li>\n  "


def consent_history_items(consents: Iterable[dict[str, Any]], labels: dict[str, Any]) -> SafeString:
    """The consents' history as list items: each topic given, and withdrawn, at a moment.
    Translations are written unescaped, as `{% blocktranslate %}` writes them."""
    zone = timezone.get_current_timezone()
    given, withdrawn = gettext("given %(date)s"), gettext("withdrawn %(date)s")
    items = []
    for consent in consents:
        label = escaped(labels.get(consent["topic"], consent["topic"]))
        text = given % {"date": _moment(consent["given_at"], zone)}
        if consent["withdrawn_at"]:
            text += ", " + withdrawn % {"date": _moment(consent["withdrawn_at"], zone)}
        items.append(f"\n    <li>{label}: {text}</li>\n  ")
    return mark_safe("".join(items))  # noqa: S308 - every value escaped


def note_items(notes: Iterable[dict[str, Any]], pk: int) -> SafeString:
    """The notes as articles: author, moment (edited or not), text with its line breaks, and a
    link to edit each. Translations are written unescaped, as `{% translate %}` writes them."""
    zone, language = timezone.get_current_timezone(), get_language()
    former, edited = gettext("a former colleague"), gettext("edited")
    edit, note_word = gettext("Edit"), gettext("note")
    items = []
    for note in notes:
        author = escaped(note["author_name"]) if note["author_name"] else former
        created = note["created_at"].astimezone(zone)  # `timezone.localtime`, as `|date` does
        when = _moment(created, zone) + (f" ({edited})" if note["edited_at"] else "")
        text = escape(normalize_newlines(note["text"])).replace("\n", "<br>")  # |linebreaksbr
        url = escaped(note_link(pk, note["pk"]))
        items.append(
            f'<article class="card note">\n    <p><small>{author}, {when}</small></p>\n'
            f"    <p>{text}</p>\n"
            f'    <p><a href="{url}">{edit}<span class="visually-hidden"> {note_word} '
            f"{day_text(created.date(), language)}</span></a></p>\n  </article>"
        )
    return mark_safe("".join(items))  # noqa: S308 - every value escaped


def _moment(at: datetime.datetime, zone: datetime.tzinfo) -> str:
    """`|date:"DATETIME_FORMAT"` of `at`, escaped."""
    return escape(date_format(at.astimezone(zone), "DATETIME_FORMAT"))


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


def detail_context(
    page: selectors.ParticipantPage, csrf_token: str, **extra: Any
) -> dict[str, Any]:
    """The participant page's context: its rows, its links and forms worked out here,
    and `csrf_token` (the page's masked token, for the forms written in Python and the
    template's alike)."""
    participant = page.participant
    labels = dict(ConsentTopic.choices)
    standing = {c["topic"] for c in page.consents if c["withdrawn_at"] is None}
    certificate = page.certificates[0] if page.certificates else None
    today = timezone.localdate()
    page_links = links(participant.pk)
    note_form = extra.pop("note_form", None)  # each None unless sent back with errors
    certificate_form = extra.pop("certificate_form", None)
    language = get_language()
    context = {
        "participant": participant,
        "csrf_token": csrf_token,
        "links": page_links,
        "language": dict(LANGUAGE_CHOICES).get(
            participant.preferred_language, participant.preferred_language
        ),
        "note_items": note_items(page.notes, participant.pk),
        "consent_items": consent_items(
            (
                {"topic": value, "label": label, "given": value in standing}
                for value, label in labels.items()
            ),
            action=page_links["consent"],
            csrf_token=csrf_token,
            with_forms=not participant.erased_at,
        ),
        "consent_history_items": consent_history_items(page.consents, labels),
        "self_reported": ConsentTopic.SELF_REPORTED in standing,
        "profile": selectors.profile_of(participant),
        "certificate": certificate,
        # `|date` of its two days, formatted once per process
        "certificate_days": {
            "seen": day_text(certificate["seen_on"], language),
            "until": day_text(certificate["valid_until"], language),
        }
        if certificate
        else None,
        "certificate_valid": certificate is not None
        and certificate["seen_on"] <= today <= certificate["valid_until"],
        "held_messages": [
            {
                **message,
                "handled_url": held_message_link(participant.pk, message["pk"]),
            }
            for message in page.held_messages
        ],
        "timeline_items": timeline_items(page.timeline),
        "certificate_form": certificate_form,
        "certificate_form_html": form_html(certificate_form, CertificateForm),
        "note_form_html": form_html(note_form, NoteForm),
    }
    context.update(extra)
    return context
