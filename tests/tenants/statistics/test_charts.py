"""The report's bar charts: a label too long for its column goes over two lines, never cut
off ("Huisarts of andere verwijzer" was shown as "Huisarts of andere ve…")."""

from __future__ import annotations

from tenants.statistics.charts import LINE, ROW, bar_chart


def test_a_long_label_wraps_at_a_space_and_its_row_grows() -> None:
    chart = bar_chart(
        "c", "t", "d", [("Huisarts of andere verwijzer", 3), ("Poster", 6), ("Evenement", 0)]
    )
    long, poster, event = chart.bars
    assert long.lines == ("Huisarts of andere", "verwijzer")
    assert long.line_steps == [(0, "Huisarts of andere"), (LINE, "verwijzer")]
    assert poster.lines == ("Poster",) and poster.y == ROW + LINE  # below both lines
    assert event.y == 2 * ROW + LINE and chart.height == 3 * ROW + LINE
    assert poster.width == 2 * long.width and event.width == 0


def test_short_labels_keep_one_row_each() -> None:
    chart = bar_chart("c", "t", "d", [("Matches", 1), ("No match", 2)])
    assert [bar.y for bar in chart.bars] == [0, ROW] and chart.height == 2 * ROW
    assert bar_chart("c", "t", "d", []).height == ROW
