"""From a table's rows to what would be imported: per row the values and what is wrong with
them. Reads the database (a fixed number of queries), never writes. The same checks run
again right before the import."""

from __future__ import annotations

from .columns import MEDIATIONS, PARTICIPANTS, REWARDS, Row
from .mediations import check_mediations
from .participants import check_participants
from .rewards import check_rewards

CHECKS = {PARTICIPANTS: check_participants, MEDIATIONS: check_mediations, REWARDS: check_rewards}


def check_rows(kind: str, rows: list[tuple[int, dict[str, str]]]) -> list[Row]:
    return CHECKS[kind](rows)
