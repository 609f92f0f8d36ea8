"""The headline figures every neighbourhood reports to the operator, and how the console shows
them: small cells (1 to 4) are suppressed and left out of the totals."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# In the order the console shows them.
HEADLINE_KEYS: dict[str, str] = {
    "mediations": _("Mediations"),
    "matches": _("Matches"),
    "participants_new": _("New participants"),
    "participants_active": _("Active participants"),
    "participants_total": _("Participants in total"),
    "group_visits": _("Group visits"),
    "ads_placed": _("Ads placed"),
    "visits": _("Site visits"),
    "unique_visitors": _("Unique visitors"),
    "credits_issued": _("Time credits issued"),
}

# A count from 1 to SMALL_CELL - 1 could point at a person in a small neighbourhood.
SMALL_CELL = 5
