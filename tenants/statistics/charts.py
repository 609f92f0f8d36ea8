"""Bar charts as SVG drawn on the server: every bar carries its number and its label as text,
so a chart reads without colour, and the table beside it is its text alternative."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

WIDTH = 320  # the viewBox; the SVG scales to the column (375 px phones included)
LABEL_WIDTH = 130
LABEL_CHARACTERS = 22  # what fits in LABEL_WIDTH at the charts' 11 px
BAR_AREA = 150
ROW = 22
LINE = 12  # each further line of a long label makes its row this much taller


@dataclass(frozen=True)
class Bar:
    label: str
    lines: tuple[str, ...]  # the label over as many lines as it needs, never cut off
    value: int | float
    y: int
    width: int
    text_x: int

    @property
    def line_steps(self) -> list[tuple[int, str]]:
        """(dy, line) for the label's <tspan>s: the first at the text's y, each next below."""
        return [(0 if index == 0 else LINE, line) for index, line in enumerate(self.lines)]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    height: int
    label_width: int = LABEL_WIDTH


def bar_chart(
    key: str, title: str, description: str, values: list[tuple[str, int | float]]
) -> Chart:
    largest = max((value for _label, value in values), default=0) or 1
    bars, y = [], 0
    for label, value in values:
        width = round(BAR_AREA * value / largest)
        lines = tuple(textwrap.wrap(label, LABEL_CHARACTERS, break_on_hyphens=False)) or ("",)
        bars.append(
            Bar(
                label=label,
                lines=lines,
                value=value,
                y=y,
                width=width,
                text_x=LABEL_WIDTH + width + 4,
            )
        )
        y += ROW + (len(lines) - 1) * LINE
    return Chart(key, title, description, tuple(bars), height=max(y, ROW))
