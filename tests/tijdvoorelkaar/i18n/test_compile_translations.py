"""Compiling the catalogue in a running process (the demo's first run) takes effect at once."""

from __future__ import annotations

from pathlib import Path

import polib
from django.test import override_settings
from django.utils import translation

from tijdvoorelkaar.quickstart.translations import compile_translations


def test_a_catalogue_compiled_after_it_was_first_read_is_used(tmp_path: Path) -> None:
    po_path = tmp_path / "nl" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "nl"}
    catalogue.append(polib.POEntry(msgid="Odd jobs (compiled late)", msgstr="Klusjes (laat)"))
    catalogue.save(str(po_path))
    with override_settings(LOCALE_PATHS=[tmp_path]):
        with translation.override("nl"):
            # Read before the .mo exists: Django keeps this empty catalogue.
            assert translation.gettext("Odd jobs (compiled late)") == "Odd jobs (compiled late)"
        assert compile_translations(tmp_path) == 1
        with translation.override("nl"):
            assert translation.gettext("Odd jobs (compiled late)") == "Klusjes (laat)"
