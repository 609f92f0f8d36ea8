"""The participant page (`detail_context`): its workspace block written in Python of the
page's parts (`page_parts`), with the markup `people/participant_detail.html` wrote,
whitespace and all. Every value is escaped; translations are not, as `{% translate %}` and
`{% blocktranslate %}` write them. The page's words and the labels of its choices
(`get_…_display` translates every choice to find one) are translated once per process and
language (`tijdvoorelkaar.words`): the template's ≈ 150 nodes and ≈ 45 `{% translate %}`
were a third of the page's time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from tijdvoorelkaar.formats import day_text
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.theming.widgets import csrf_input
from tijdvoorelkaar.words import Words

from . import page_parts, selectors
from .forms import LANGUAGE_CHOICES
from .models import (
    BornAbroad,
    ConsentTopic,
    Gender,
    HeardVia,
    Household,
    PaidWork,
    Participant,
)
from .timeline import escaped, timeline_items

_TOPICS = Words.of_choices(ConsentTopic)
_HEARD_VIA = Words.of_choices(HeardVia)
# The answers the page shows, each with its word and its choices' labels.
_PROFILE = {
    "gender": Words.of_choices(Gender),
    "born_abroad": Words.of_choices(BornAbroad),
    "paid_work": Words.of_choices(PaidWork),
    "household": Words.of_choices(Household),
}
_LANGUAGES = dict(LANGUAGE_CHOICES)


def detail_context(
    page: selectors.ParticipantPage, csrf_token: str, **sent_back: forms.BaseForm
) -> dict[str, Any]:
    """The participant page's context: the participant (for the title), the page's masked
    CSRF token (its forms and the menu's write the same) and the workspace block, `page_html`,
    with `sent_back`'s forms (`note_form`, `certificate_form`) and their errors."""
    language, participant = get_language(), page.participant
    writing = page_parts.Writing(
        words=page_parts.WORDS.in_language(language),
        language=language,
        csrf=csrf_input(csrf_token),
        erased=bool(participant.erased_at),
    )
    urls = page_parts.links(participant.pk)
    links = {key: escaped(url) for key, url in urls.items()}  # as `{{ links.… }}` wrote them
    parts = (
        _header(participant, writing, links),
        _work(participant, writing.words, links) if not writing.erased else "",
        '\n\n<div class="grid participant-page">\n',
        _contact(participant, writing),
        _consents(page, urls["consent"], writing),
        _profile(page, links["profile"], writing),
        page_parts.certificate_section(
            page.certificates, links["certificate"], sent_back.get("certificate_form"), writing
        ),
        "</div>\n\n",
        page_parts.held_messages_section(page.held_messages, participant.pk, writing),
        "\n\n",
        page_parts.notes_section(
            page.notes, participant.pk, links["note_add"], sent_back.get("note_form"), writing
        ),
        '<section aria-labelledby="timeline-heading">\n'
        f'  <h2 id="timeline-heading">{writing.words["timeline"]}</h2>\n'
        f'  <ol class="timeline">{timeline_items(page.timeline)}</ol>\n</section>\n',
    )
    return {
        "participant": participant,
        "csrf_token": csrf_token,
        "page_html": mark_safe("".join(parts)),  # noqa: S308 - every value escaped
    }


def _header(participant: Participant, writing: page_parts.Writing, links: dict[str, str]) -> str:
    """The name, number and tags, and the actions on someone not erased."""
    erased, words = participant.erased_at, writing.words
    tags = ""
    if erased or participant.through_broker_only or participant.is_offline:
        day = day_text(timezone.localtime(erased).date(), writing.language) if erased else ""
        tags = (
            '<ul class="tags">\n  '
            + (f"<li>{words['erased'] % {'date': day}}</li>" if erased else "")
            + "\n  "
            + (f"<li>{words['broker_only']}</li>" if participant.through_broker_only else "")
            + "\n  "
            + (f"<li>{words['no_email']}</li>" if participant.is_offline and not erased else "")
            + "\n</ul>"
        )
    actions = ""
    if not erased:
        actions = (
            '<p class="actions">\n'
            f'  <a class="button" href="{links["edit"]}">{words["edit"]}</a>\n'
            f'  <a class="button secondary" href="{links["export"]}" download>'
            f"{words['export']}</a>\n"
            f'  <a class="button secondary" href="{links["erase"]}">{words["erase"]}</a>\n</p>'
        )
    return (
        f'\n<p><a href="{links["list"]}">{words["back"]}</a></p>\n'
        f"<h1>{escaped(participant.display_name)}</h1>\n"
        f'<p class="participant-number">{words["number"] % {"number": participant.pk}}</p>\n'
        f"{tags}\n{actions}\n\n"
    )


def _work(participant: Participant, words: dict[str, str], links: dict[str, str]) -> str:
    """The "Work with them" links (for someone not erased)."""
    pk, area = participant.pk, participant.sub_area_id
    credits = ""
    neighbourhood = current_neighbourhood()
    if neighbourhood.credits_enabled:
        name = escape(neighbourhood.credit_name)  # `{% credit_name %}`: the plural
        credits = (
            f'<li><a href="{links["credits_statement"]}">'
            f"{words['credits_statement'] % {'name': name}}</a>\n"
            f'      · <a href="{links["credits_gift"]}?giver={pk}">{words["credits_gift"]}</a></li>'
        )
    return (
        '<nav aria-labelledby="work-heading" class="card">\n'
        f'  <h2 id="work-heading">{words["work"]}</h2>\n'
        '  <ul class="dashboard-list">\n'
        f'    <li><a href="{links["ad_new"]}">{words["ad_new"]}</a></li>\n'
        f'    <li><a href="{links["conversation_new"]}">{words["conversation_new"]}</a>\n'
        f'      (<a href="{links["conversations"]}">{words["conversations"]}</a>)</li>\n'
        f'    <li><a href="{links["mediation_create"]}?requester={pk}">'
        f"{words['mediation_create']}</a>\n"
        f'      (<a href="{links["mediation_list"]}?participant={pk}">'
        f"{words['mediation_list']}</a>)</li>\n"
        f'    <li><a href="{links["suggest"]}?participant={pk}">{words["suggest"]}</a></li>\n'
        f'    <li><a href="{links["referral_in"]}?participant={pk}">{words["referral_in"]}</a>\n'
        f'      · <a href="{links["referral_out"]}?participant={pk}">{words["referral_out"]}</a>'
        "</li>\n"
        f"    {credits}\n"
        f'    <li><a href="{links["digest"]}">{words["digest"]}</a></li>\n'
        f'    <li><a href="{links["board"]}{f"?sub_area={area}" if area else ""}">'
        f"{words['board']}</a></li>\n"
        "  </ul>\n</nav>"
    )


def _contact(participant: Participant, writing: page_parts.Writing) -> str:
    p, words = participant, writing.words
    address = _or_dash(p.street_address) + (f", {escaped(p.postal_code)}" if p.postal_code else "")
    heard_via = _HEARD_VIA.in_language(writing.language).get(p.heard_via, p.heard_via)
    person = ""
    if p.contact_person_name or p.contact_person_email or p.contact_person_phone:
        person = (
            f"\n    <dt>{words['contact_person']}</dt><dd>{_or_dash(p.contact_person_name)}"
            + (f"<br>{escaped(p.contact_person_email)}" if p.contact_person_email else "")
            + (f"<br>{escaped(p.contact_person_phone)}" if p.contact_person_phone else "")
            + "</dd>\n    "
        )
    return (
        '<section aria-labelledby="contact-heading" class="card">\n'
        f'  <h2 id="contact-heading">{words["contact"]}</h2>\n'
        "  <dl>\n"
        f"    <dt>{words['full_name']}</dt><dd>{_or_dash(p.full_name)}</dd>\n"
        f"    <dt>{words['email']}</dt><dd>{_or_dash(p.email)}</dd>\n"
        f"    <dt>{words['phone']}</dt><dd>{_or_dash(p.phone)}</dd>\n"
        f"    <dt>{words['address']}</dt><dd>{address}</dd>\n"
        f"    <dt>{words['sub_area']}</dt><dd>{_or_dash(p.sub_area)}</dd>\n"
        f"    <dt>{words['language']}</dt><dd>"
        f"{escaped(_LANGUAGES.get(p.preferred_language, p.preferred_language))}</dd>\n"
        f"    <dt>{words['heard_via']}</dt><dd>{_or_dash(heard_via)}</dd>\n"
        f"    {person}\n"
        "  </dl>\n</section>\n\n"
    )


def _or_dash(value: object) -> str:
    """`{{ value|default:"—" }}`."""
    return escaped(value or "—")


def _consents(page: selectors.ParticipantPage, action: str, writing: page_parts.Writing) -> str:
    """Each topic given or not, with its form; the history of what was given and withdrawn."""
    topics, words = _TOPICS.in_language(writing.language), writing.words
    standing = _standing(page)
    items = page_parts.consent_items(
        (
            {"topic": value, "label": label, "given": value in standing}
            for value, label in topics.items()
        ),
        action,
        writing,
    )
    history = page_parts.consent_history_items(page.consents, topics, writing)
    details = (
        f"<details><summary>{words['history']}</summary><ul>{history}</ul></details>"
        if history
        else ""
    )
    return (
        '<section aria-labelledby="consent-heading" class="card">\n'
        f'  <h2 id="consent-heading">{words["consents"]}</h2>\n'
        f'  <ul class="consents">{items}</ul>\n  {details}\n</section>\n\n'
    )


def _standing(page: selectors.ParticipantPage) -> set[str]:
    """The topics of the consents that stand."""
    return {c["topic"] for c in page.consents if c["withdrawn_at"] is None}


def _profile(page: selectors.ParticipantPage, link: str, writing: page_parts.Writing) -> str:
    """The self-reported answers, only while that consent stands."""
    words, language = writing.words, writing.language
    if ConsentTopic.SELF_REPORTED not in _standing(page):
        shown = f"<p>{words['only_with_consent']}</p>"
    else:
        profile = selectors.profile_of(page.participant)
        answers = f"<p>{words['nothing']}</p>"
        if profile:
            answers = (
                "<dl>\n"
                + "".join(
                    f"      <dt>{words[name]}</dt><dd>"
                    f"{_or_dash(labels.in_language(language).get(value, value))}</dd>\n"
                    for name, labels in _PROFILE.items()
                    for value in (getattr(profile, name),)
                )
                + "    </dl>"
            )
        shown = f'\n    {answers}\n    <p><a href="{link}">{words["fill_in"]}</a></p>\n  '
    return (
        '<section aria-labelledby="profile-heading" class="card">\n'
        f'  <h2 id="profile-heading">{words["self_reported"]}</h2>\n'
        f"  {shown}\n</section>\n\n"
    )
