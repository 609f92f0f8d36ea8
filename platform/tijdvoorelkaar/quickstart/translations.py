"""Compile .po to .mo in Python, so no system gettext is needed to run the platform."""

from __future__ import annotations

from pathlib import Path

import polib


def compile_translations(locale_dir: Path) -> int:
    count = 0
    for po_path in locale_dir.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        count += 1
    return count
