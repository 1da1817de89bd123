"""Small charts drawn on the server as SVG: no script, no other host.

Only presentation attributes are used (no inline styles), so the strict
Content-Security-Policy holds. Every text is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

BAR_HEIGHT = 22
LABEL_WIDTH = 190
BAR_WIDTH = 300
INK, GOING, GUESTS, WAITING, TRACK = "#1b1b1f", "#1d5e2a", "#5b9767", "#b7791f", "#e8e6e0"


@dataclass(frozen=True)
class Fill:
    """One place's bar: people going (attendees, guests), waiting, capacity."""

    label: str
    going: int
    guests: int
    waitlisted: int
    capacity: int | None


def fill_bars(rows: list[Fill]) -> Markup:
    """Horizontal bars, one per place, against capacity (or the largest
    place when there is none); the numbers are written out too, so nothing
    is told by colour alone."""
    scale = max([row.capacity or 0 for row in rows]
                + [row.going + row.guests + row.waitlisted for row in rows] + [1])
    height = len(rows) * (BAR_HEIGHT + 14) + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {LABEL_WIDTH + BAR_WIDTH + 150} {height}" '
             f'aria-labelledby="fill-title"><title id="fill-title">Places taken</title>']
    for index, row in enumerate(rows):
        y = 4 + index * (BAR_HEIGHT + 14)
        people = row.going + row.guests
        width = BAR_WIDTH * (row.capacity or scale) / scale

        def bar(start: float, amount: int, colour: str, y: int = y) -> str:
            span = BAR_WIDTH * amount / scale
            return (f'<rect x="{LABEL_WIDTH + start:.1f}" y="{y}" width="{span:.1f}" '
                    f'height="{BAR_HEIGHT}" fill="{colour}"/>') if amount else ""

        going_width = BAR_WIDTH * row.going / scale
        guests_width = BAR_WIDTH * row.guests / scale
        capacity = f" of {row.capacity}" if row.capacity else ""
        waiting = f", {row.waitlisted} waiting" if row.waitlisted else ""
        parts += [
            f'<text x="0" y="{y + 16}" font-size="14" fill="{INK}">{escape(row.label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{TRACK}"/>',
            bar(0, row.going, GOING),
            bar(going_width, row.guests, GUESTS),
            bar(going_width + guests_width, row.waitlisted, WAITING),
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 16}" font-size="14" '
            f'fill="{INK}">{people}{capacity}{waiting}</text>',
        ]
    parts.append("</svg>")
    # numbers we computed, and labels passed through escape()
    return Markup("".join(parts))  # nosec B704


def daily_chart(days: list[tuple[date, int]]) -> Markup:
    """Columns of RSVPs per day, with the busiest day's number on top."""
    if not days:
        return Markup("")
    top = max(count for _, count in days) or 1
    column = max(4.0, min(28.0, 560 / len(days)))
    height, base, width = 160, 140, 600
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {width} {height}" aria-labelledby="daily-title">'
             f'<title id="daily-title">RSVPs per day, from {days[0][0]:%d %b} to '
             f'{days[-1][0]:%d %b}; most in a day: {top}</title>',
             f'<line x1="20" y1="{base}" x2="{width - 20}" y2="{base}" stroke="{INK}"/>']
    for index, (day, count) in enumerate(days):
        bar = (base - 20) * count / top
        x = 20 + index * column
        parts.append(f'<rect x="{x + 1:.1f}" y="{base - bar:.1f}" width="{column - 2:.1f}" '
                     f'height="{bar:.1f}" fill="{GOING}"><title>{day:%a %d %b}: {count}'
                     f'</title></rect>')
    parts += [f'<text x="20" y="{height - 4}" font-size="12" '
              f'fill="{INK}">{days[0][0]:%d %b}</text>',
              f'<text x="{20 + column * len(days):.0f}" y="{height - 4}" font-size="12" '
              f'fill="{INK}" text-anchor="end">{days[-1][0]:%d %b}</text>',
              f'<text x="20" y="12" font-size="12" fill="{INK}">{top} max</text>', "</svg>"]
    # dates and numbers only: nothing anyone typed
    return Markup("".join(parts))  # nosec B704
