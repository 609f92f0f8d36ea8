"""Contact details a resident may put in an ad's public text without meaning to: a phone
number, an e-mail address, a Dutch postal code, a street and house number. Placing asks
before publishing them (`services.placing`); the resident may go on anyway.

The patterns lean towards saying nothing: a false alarm on "2 uur" or "3 kinderen" would
teach people to click warnings away."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of digits and separators; what it holds is decided by its digits (below).
DIGIT_RUN = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d\s().-]{7,16}\d(?!\w)")
# 1234 AB (capitals, space optional) or 1234ab written together; not a unit like 2000km.
POSTCODE = re.compile(r"\b[1-9]\d{3} ?[A-Z]{2}\b|\b[1-9]\d{3}[a-z]{2}\b")
NOT_POSTCODE = re.compile(r"\d(?:km|kg|mg|ml|cm|mm|gb|mb|kb|pk|cc)\b", re.IGNORECASE)
# A word ending like a Dutch street name ("Dorpsstraat", "Kerkweg") followed by a number.
STREET = re.compile(
    r"\b[^\W\d_]{2,}(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|"
    r"plantsoen|markt|ring|baan|wal|erf|park|hage)\s+\d{1,4}(?:\s?[a-zA-Z]\b|-\d{1,3})?\b",
    re.IGNORECASE,
)

LABELS = {
    "phone": _("a phone number"),
    "email": _("an e-mail address"),
    "postcode": _("a postal code"),
    "address": _("a street and house number"),
}


def _is_phone(run: str) -> bool:
    """Ten digits from 0 (06 1234 5678, 020-123 4567), or +31/0031 and nine more."""
    digits = re.sub(r"\D", "", run)
    if run.startswith(("+31", "0031")):
        return len(digits.removeprefix("00")) == 11  # 31 and nine more
    return digits.startswith("0") and len(digits) == 10


def contact_details_in(text: str) -> list[str]:
    """The kinds of contact details `text` seems to hold, in LABELS order; empty when none."""
    found = {
        "phone": any(_is_phone(m.group(0).strip()) for m in DIGIT_RUN.finditer(text)),
        "email": bool(EMAIL.search(text)),
        "postcode": any(not NOT_POSTCODE.search(m.group(0)) for m in POSTCODE.finditer(text)),
        "address": bool(STREET.search(text)),
    }
    return [kind for kind in LABELS if found[kind]]
