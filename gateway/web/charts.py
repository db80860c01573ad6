"""Bar charts drawn on the server: the geometry here, the SVG in ``charts.html``.

No script and no outside host: a chart is a few rectangles and labels in the page,
with a title and a description, and its figures in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
LABEL_CHARS = 22  # a longer label is cut in the chart; the table has it whole


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    largest: int
    horizontal: bool


def short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def across(items: list[tuple[str, int]], row: int = 32, labels: int = 190) -> Chart:
    """One horizontal bar a row (cohorts: their names are long), value at its end."""
    largest = max([v for _, v in items] + [1])
    room = WIDTH - labels - 60
    bars = [Bar(short(label), value, labels, n * row + 6, room * value / largest,
                row - 12) for n, (label, value) in enumerate(items)]
    return Chart(bars, WIDTH, max(1, len(items)) * row, largest, True)


def upright(items: list[tuple[str, int]], height: int = 220, axis: int = 40) -> Chart:
    """One column a period (weeks, oldest first), label under it, value above it."""
    largest = max([v for _, v in items] + [1])
    slot = WIDTH / max(1, len(items))
    room = height - axis - 24
    bars = []
    for n, (label, value) in enumerate(items):
        tall = room * value / largest
        bars.append(Bar(label, value, n * slot + slot * 0.2, 24 + room - tall,
                        slot * 0.6, tall))
    return Chart(bars, WIDTH, height, largest, False)
