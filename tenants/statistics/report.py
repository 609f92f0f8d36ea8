"""The report as people read it: the tables of a snapshot's figures, each row with its share,
the previous period's value and the growth factor. The page, the CSV, the XLSX and the PDF
are all made from this, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .figures import BY_KEY, LIST_TABLES, OPTIONAL_TABLES, TABLES, Figure, figures_of
from .models import Snapshot

SUPPRESSED = "<5"


@dataclass
class Row:
    key: str
    label: str
    value: Any  # a number, None (suppressed or not applicable)
    share: float | None = None  # percent of `share_of`
    previous: Any = None
    growth: float | None = None
    decimals: int = 0
    definition: str = ""
    indent: bool = False
    suppressed: bool = False

    @property
    def shown(self) -> str:
        return number_text(self.value, self.decimals, suppressed=self.suppressed)

    @property
    def previous_shown(self) -> str:
        return number_text(self.previous, self.decimals, suppressed=False)


@dataclass
class ReportTable:
    key: str
    title: str
    note: str = ""
    rows: list[Row] = field(default_factory=list)
    columns: tuple[str, ...] = ()  # list tables: their own columns
    lines: list[list[Any]] = field(default_factory=list)


def number_text(value: Any, decimals: int = 0, *, suppressed: bool = False) -> str:
    if suppressed:
        return SUPPRESSED
    if value is None:
        return "–"
    if decimals and isinstance(value, int | float):
        # As the reader's language writes it: 16,5 in Dutch, 16.5 in English.
        text = formats.number_format(value, decimal_pos=decimals)
        if decimals == 2:
            text = text.rstrip("0").rstrip(formats.get_format("DECIMAL_SEPARATOR"))
        return text
    return str(value)


def _share(figures: dict[str, Any], figure: Figure) -> float | None:
    if not figure.share_of:
        return None
    part, whole = figures.get(figure.key), figures.get(figure.share_of)
    if not isinstance(part, int | float) or not isinstance(whole, int | float) or not whole:
        return None
    return round(100 * part / whole)


def growth(value: Any, previous: Any) -> float | None:
    """This period's value divided by the previous one's (2.9: almost three times as many)."""
    if not isinstance(value, int | float) or not isinstance(previous, int | float) or not previous:
        return None
    return round(value / previous, 1)


def _suppressible(figure: Figure) -> bool:
    return figure.table in ("composition", "survey")


def _row(figure: Figure, figures: dict[str, Any], previous: dict[str, Any] | None) -> Row:
    value = figures.get(figure.key)
    before = previous.get(figure.key) if previous is not None else None
    return Row(
        key=figure.key,
        label=str(figure.label),
        value=value,
        share=_share(figures, figure),
        previous=before,
        growth=growth(value, before),
        decimals=figure.decimals,
        definition=str(figure.definition),
        indent=bool(figure.share_of) and not figure.adds_to,
        suppressed=value is None and _suppressible(figure),
    )


def _list_lines(key: str, figures: dict[str, Any]) -> list[list[Any]]:
    lines = figures.get(key) or []
    if key == "routing_steps":  # [name, name in English, count]: in the reader's language
        english = (get_language() or "nl").startswith("en")
        return [
            [(name_en if english and name_en else name), count] for name, name_en, count in lines
        ]
    if key == "referrals_in_by_kind":
        return [[role or _("Not recorded"), count] for role, count in lines]
    return [list(line) for line in lines]


def present(table_key: str, figures: dict[str, Any]) -> bool:
    section = OPTIONAL_TABLES.get(table_key)
    return section is None or any(key.startswith(f"{section}.") for key in figures)


def build_report(snapshot: Snapshot, previous: Snapshot | None = None) -> list[ReportTable]:
    figures = snapshot.figures
    before = previous.figures if previous is not None and previous.computed_at else None
    tables = []
    for table in TABLES:
        if not present(table.key, figures):
            continue
        report_table = ReportTable(table.key, str(table.title), str(table.note))
        if table.key in LIST_TABLES:
            report_table.columns = tuple(str(column) for column in LIST_TABLES[table.key])
            report_table.lines = _list_lines(table.key, figures)
        else:
            report_table.rows = [_row(figure, figures, before) for figure in figures_of(table.key)]
        tables.append(report_table)
    return tables


# Figures that describe a state at the period's end, not what happened in it.
STOCKS = frozenset(
    {"participants.total", "support.without_movement", "credits.in_circulation"}
    | {key for key in BY_KEY if key.startswith("composition.")}
)


def is_empty(snapshot: Snapshot) -> bool:
    """Nothing happened in the period: every count of events is zero (or not available)."""
    counts = (
        value for key, value in snapshot.figures.items() if key in BY_KEY and key not in STOCKS
    )
    return not any(isinstance(value, int | float) and value for value in counts)
