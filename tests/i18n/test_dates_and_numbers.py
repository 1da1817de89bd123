"""Dates and counts in the reader's language: Persian day and month names
with Persian digits, Spanish ones, and English exactly as it always read."""

from __future__ import annotations

from datetime import UTC, datetime

from volunteer_hub.timefmt import format_date, format_number, format_when, localize_digits

START = datetime(2027, 9, 25, 19, 0, tzinfo=UTC)
END = datetime(2027, 9, 25, 22, 0, tzinfo=UTC)


def test_persian_dates_have_persian_names_and_digits():
    assert format_date(START, "America/New_York", "fa") == "شنبه ۲۵ سپتامبر ۲۰۲۷"
    assert localize_digits("15:00, 2027", "fa") == "۱۵:۰۰, ۲۰۲۷"


def test_spanish_dates_have_spanish_names():
    assert format_date(START, "America/New_York", "es") == "sábado, 25 de septiembre de 2027"


def test_english_stays_as_it_was_whatever_the_language_asked_for():
    assert format_date(START, "America/New_York", "en") == "Saturday 25 September 2027"
    assert format_when(START, END, "America/New_York", "en") == (
        "Saturday 25 September 2027, 3:00 pm – 6:00 pm EDT")


def test_counts_are_written_the_readers_way():
    assert format_number(1234, "en") == "1,234"
    assert format_number(1234, "fa") == "۱٬۲۳۴"
    assert format_number(1234, "es") == "1.234"
