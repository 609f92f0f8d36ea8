"""Names that look misread: characters a name in this encoding hardly ever holds, the sign
that the file was read with the wrong encoding ("Zoë" read as "Zoļ" or "ZoÃ«")."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from .columns import Row

# The fields that hold names (or what an import finds someone by).
NAME_FIELDS = (
    "display_name",
    "full_name",
    "first_name",
    "middle_name",
    "last_name",
    "requester",
    "provider",
)
NAME_PUNCTUATION = set(" -'.,’‘()&/@_+")
SINGLE_BYTE = ("windows-1252", "iso-8859-15")
# UTF-8 read as a single-byte code page: "ë" (C3 AB) turns into "Ã«".
UTF8_READ_AS_SINGLE_BYTE = re.compile("[ÂÃ][\u0080-\u00bf]")


def _western_letter(char: str) -> bool:
    """A Latin letter Windows-1252 or ISO-8859-15 can hold (é, ß, ø, Œ, Š), not ļ or ų."""
    if not (char.isalpha() and unicodedata.name(char, "").startswith("LATIN")):
        return False
    return any(_encodable(char, encoding) for encoding in SINGLE_BYTE)


def _encodable(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def unusual_characters(text: str, encoding: str | None) -> list[str]:
    """The characters of `text` that a name read with `encoding` hardly ever holds: control
    characters (the C1 range too), the replacement character, box drawing, and, unless the
    file is UTF-8 (where any script is fine), anything but Western Latin letters."""
    unusual: dict[str, None] = {}
    for char in text:
        broken = (
            unicodedata.category(char).startswith("C")
            or char == "\ufffd"
            or "\u2500" <= char <= "\u259f"
        )
        if not broken and (char.isspace() or char.isdigit() or char in NAME_PUNCTUATION):
            continue
        if broken or (encoding not in ("utf-8", "utf-16", None) and not _western_letter(char)):
            unusual.setdefault(char, None)
    for pair in UTF8_READ_AS_SINGLE_BYTE.findall(text):
        unusual.setdefault(pair, None)
    return list(unusual)


def flag_unusual_names(rows: list[Row], encoding: str | None) -> list[Row]:
    """Add a warning to each row whose names hold unusual characters for `encoding`."""
    for row in rows:
        found: dict[str, None] = {}
        for name in NAME_FIELDS:
            for char in unusual_characters(row.values.get(name, ""), encoding):
                found.setdefault(char, None)
        if found:
            row.warnings.append(
                _(
                    "Check the name: it holds characters a name rarely has (%(characters)s). "
                    "Was the file read with the right encoding?"
                )
                % {"characters": " ".join(repr(char)[1:-1] for char in found)}
            )
    return rows
