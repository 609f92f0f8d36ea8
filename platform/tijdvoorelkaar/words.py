"""Fixed words a page or a list writes (its labels, the sentences its rows fill in, the labels
of a model's choices), translated once per process and language instead of once per request
or row. A `gettext` costs ≈ 5 µs (it reads the active language from a context-local), a
choice's lazy label as much each time it is shown, and `Choices.choices` builds its list on
every read: a page that writes its rows in Python (the participant page, its timeline)
looked up some hundred translations a request.

    _WORDS = Words({"placed": gettext_noop("%(kind)s placed: %(title)s")})
    _KINDS = Words.of_choices(AdKind)

    words, kinds = in_active_language(_WORDS, _KINDS)
    title = words["placed"] % {"kind": kinds.get(ad["kind"], ad["kind"]), "title": ...}

The words are written as `{% translate %}` writes them: not escaped. Mark msgids with
`gettext_noop` so that makemessages finds them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Choices
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext


class Words:
    """Texts by key (msgids, or lazy translations such as a choice's label), translated in
    the active language the first time that language asks, then kept for the process (one
    dict per language: a few)."""

    def __init__(self, texts: Mapping[Any, str | Promise]) -> None:
        self._texts = dict(texts)
        self._by_language: dict[str | None, dict[Any, str]] = {}

    @classmethod
    def of_choices(cls, choices: type[Choices]) -> Words:
        """The labels of `choices` by value, as `get_<field>_display` shows them."""
        return cls(dict(choices.choices))

    def __call__(self) -> dict[Any, str]:
        """The texts in the active language."""
        return self.in_language(get_language())

    def in_language(self, language: str | None) -> dict[Any, str]:
        """The texts in `language`, which must be the active language (it is the key)."""
        try:
            return self._by_language[language]
        except KeyError:
            translated = {key: _translated(text) for key, text in self._texts.items()}
            self._by_language[language] = translated  # another thread may do the same: alike
            return translated


def in_active_language(*words: Words) -> tuple[dict[Any, str], ...]:
    """Each of `words` in the active language, looked up once (`get_language` reads a
    context-local: ≈ 5 µs)."""
    language = get_language()
    return tuple(kept.in_language(language) for kept in words)


def _translated(text: str | Promise) -> str:
    return str(text) if isinstance(text, Promise) else gettext(text)
