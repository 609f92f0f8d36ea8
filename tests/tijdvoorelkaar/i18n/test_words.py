"""`Words`: fixed texts and choices' labels translated once per process and language, the
same as `gettext` and `get_<field>_display` give."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from tenants.people.models import HeardVia, Participant
from tijdvoorelkaar.words import Words, in_active_language

_WORDS = Words({"back": gettext_noop("Back to participants"), "no": gettext_noop("No notes.")})
_HEARD_VIA = Words.of_choices(HeardVia)


def test_words_are_the_translations_of_the_active_language() -> None:
    for language in ("nl", "en", "nl"):  # and again, from what was kept
        with translation.override(language):
            assert _WORDS() == {"back": gettext("Back to participants"), "no": gettext("No notes.")}
            assert _WORDS.in_language(language) is _WORDS()
    with translation.override("nl"):
        assert _WORDS()["back"] == "Terug naar deelnemers"


def test_choice_labels_are_what_get_display_shows() -> None:
    for language in ("nl", "en"):
        with translation.override(language):
            for value in HeardVia.values:
                participant = Participant(heard_via=value)
                assert _HEARD_VIA()[value] == participant.get_heard_via_display()
    with translation.override("nl"):
        dutch = _HEARD_VIA()[HeardVia.WORD_OF_MOUTH]
    with translation.override("en"):
        assert _HEARD_VIA()[HeardVia.WORD_OF_MOUTH] == "Word of mouth" != dutch


def test_several_words_in_the_active_language_at_once() -> None:
    with translation.override("nl"):
        words, heard_via = in_active_language(_WORDS, _HEARD_VIA)
        assert (words, heard_via) == (_WORDS(), _HEARD_VIA())
