"""Formatting helpers: times in their own zone, safe Markdown."""

from __future__ import annotations

from datetime import UTC, datetime

from volunteer_hub.markup import render_markdown
from volunteer_hub.timefmt import format_when, is_valid_zone

START = datetime(2027, 9, 25, 19, 0, tzinfo=UTC)


def test_same_day_range_in_new_york():
    end = datetime(2027, 9, 25, 22, 0, tzinfo=UTC)
    assert format_when(START, end, "America/New_York") == (
        "Saturday 25 September 2027, 3:00 pm – 6:00 pm EDT")


def test_start_only_noon_and_midnight():
    assert format_when(datetime(2027, 9, 25, 16, tzinfo=UTC), None, "America/New_York") == (
        "Saturday 25 September 2027, 12:00 pm EDT")
    assert format_when(datetime(2027, 9, 26, 4, tzinfo=UTC), None, "America/New_York") == (
        "Sunday 26 September 2027, 12:00 am EDT")


def test_range_over_midnight_and_over_a_dst_change():
    end = datetime(2027, 9, 26, 5, 30, tzinfo=UTC)
    assert format_when(START, end, "America/New_York") == (
        "Saturday 25 September 2027, 3:00 pm EDT – Sunday 26 September 2027, 1:30 am EDT")
    # Clocks go back at 2 am on 7 November 2027 in New York.
    assert format_when(datetime(2027, 11, 7, 5, tzinfo=UTC), datetime(2027, 11, 7, 7, tzinfo=UTC),
                       "America/New_York") == (
        "Sunday 7 November 2027, 1:00 am EDT – 2:00 am EST")


def test_zone_names_are_checked():
    assert is_valid_zone("America/Los_Angeles")
    assert not is_valid_zone("Mars/Olympus_Mons")


def test_markdown_keeps_formatting_and_drops_html():
    html = render_markdown("*hi* <iframe src='https://evil.example'></iframe>\n\n- one")
    assert "<em>hi</em>" in html and "<li>one</li>" in html
    assert "iframe" not in html
