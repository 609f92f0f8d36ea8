"""Compile .po to .mo in Python, so no system gettext is needed to run the platform."""

from __future__ import annotations

from pathlib import Path

import polib
from django.utils import translation
from django.utils.translation import trans_real


def compile_translations(locale_dir: Path) -> int:
    """Write a .mo beside each .po that is newer than it; returns how many were written."""
    count = 0
    for po_path in locale_dir.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        count += 1
    if count:
        _forget_loaded_catalogues()
    return count


def _forget_loaded_catalogues() -> None:
    """Django keeps each language's catalogue for the life of the process, also one read
    before its .mo existed: the demo's first run compiled the .mo and then seeded its
    neighbourhoods and queued its mails from that empty catalogue, in English. Forget them,
    as Django does itself when LOCALE_PATHS changes, so the new files are read."""
    trans_real._translations.clear()
    trans_real._default = None
    translation.deactivate()
