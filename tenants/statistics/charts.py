"""Bar charts as SVG drawn on the server: every bar carries its number and its label as text,
so a chart reads without colour, and the table beside it is its text alternative."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 320  # the viewBox; the SVG scales to the column (375 px phones included)
LABEL_WIDTH = 130
BAR_AREA = 150
ROW = 22


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    y: int
    width: int
    text_x: int


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
    bars = []
    for index, (label, value) in enumerate(values):
        width = round(BAR_AREA * value / largest)
        bars.append(
            Bar(
                label=label,
                value=value,
                y=index * ROW,
                width=width,
                text_x=LABEL_WIDTH + width + 4,
            )
        )
    return Chart(key, title, description, tuple(bars), height=max(len(values) * ROW, ROW))
