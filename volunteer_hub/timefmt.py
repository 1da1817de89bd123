"""How dates, times and counts read on pages and in emails: always in the
zone of the place they happen, in the reader's language.

English keeps the campaign's own style ('Saturday 25 September 2027, 3:00 pm
EDT'); Persian and Spanish take their month and day names from Babel (CLDR),
and Persian its own digits. Where English names the zone by its abbreviation,
the other languages name its city ('به وقت نیویورک'), since CLDR has no
Persian or Spanish abbreviations for most zones.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.dates import get_timezone_location
from babel.numbers import format_decimal
from flask_babel import gettext

from volunteer_hub import i18n
from volunteer_hub.i18n import DEFAULT_LANGUAGE, current_language

#: CLDR date patterns, one per language; others use their locale's full date.
DATE_PATTERNS = {
    "en": "EEEE d MMMM y",
    "fa": "EEEE d MMMM y",
    "es": "EEEE, d 'de' MMMM 'de' y",
}
#: CLDR time patterns; English writes "3:00 pm", the others the 24-hour clock.
TIME_PATTERNS = {"en": "h:mm a", "fa": "H:mm", "es": "H:mm"}
#: Babel's data for English day periods: British English writes "am"/"pm".
BABEL_LOCALES = {"en": "en_GB"}
#: Digits of the numbering systems Babel knows of but does not write itself.
DIGITS = {"arabext": "۰۱۲۳۴۵۶۷۸۹", "arab": "٠١٢٣٤٥٦٧٨٩"}


def is_valid_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows."""
    return name in available_timezones()


def local(moment: datetime, zone: str) -> datetime:
    """``moment`` as wall-clock time in ``zone``."""
    return moment.astimezone(ZoneInfo(zone))


def _language(language: str | None) -> str:
    return language or current_language()


def _babel_locale(language: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(language, language))


def localize_digits(text: str, language: str | None = None) -> str:
    """``text`` with its ASCII digits written in the language's own digits
    (Persian ۰–۹); unchanged for English and Spanish."""
    digits = DIGITS.get(Locale.parse(_language(language)).default_numbering_system)
    return text.translate(str.maketrans("0123456789", digits)) if digits else text


def format_number(number: int | float, language: str | None = None) -> str:
    """A count as the reader writes it: '1,234' in English, '۱٬۲۳۴' in Persian."""
    return _formatted(number, _language(language))


@lru_cache(maxsize=4096)
def _formatted(number: int | float, language: str) -> str:
    # kept: pages show the same few counts and limits over and over
    return localize_digits(
        format_decimal(number, locale=language, numbering_system="default"), language)


def _date(moment: datetime, language: str) -> str:
    pattern = DATE_PATTERNS.get(language, "full")
    return localize_digits(babel_date(moment, pattern, locale=_babel_locale(language)), language)


def _clock(moment: datetime, language: str) -> str:
    pattern = TIME_PATTERNS.get(language, "short")
    return localize_digits(babel_time(moment, pattern, locale=_babel_locale(language)),
                           language)


def _zone(moment: datetime, language: str) -> str:
    """'EDT' in English; 'به وقت نیویورک' or 'hora de Nueva York' in languages
    for which CLDR has no abbreviation; the abbreviation where a zone has no city."""
    abbreviation = localize_digits(f"{moment:%Z}", language)
    name = moment.tzinfo.key if isinstance(moment.tzinfo, ZoneInfo) else ""
    if language == DEFAULT_LANGUAGE or "/" not in name or name.startswith("Etc/"):
        return abbreviation
    city = get_timezone_location(moment.tzinfo, locale=language, return_city=True)
    if "/" in city:
        return abbreviation
    return gettext("%(city)s time", city=city)


def _in(language: str | None):
    """Text in ``language`` when one is asked for, else in the page's own."""
    return i18n.language(language) if language else nullcontext()


def format_date(moment: datetime, zone: str, language: str | None = None) -> str:
    """'Saturday 25 September 2027' in ``zone``."""
    with _in(language):
        return _date(local(moment, zone), _language(language))


def format_time(moment: datetime, zone: str, language: str | None = None) -> str:
    """'3:00 pm EDT' in ``zone``."""
    with _in(language):
        language = _language(language)
        moment = local(moment, zone)
        return gettext("%(time)s %(zone)s", time=_clock(moment, language),
                       zone=_zone(moment, language))


def format_when(starts_at: datetime, ends_at: datetime | None, zone: str,
                language: str | None = None) -> str:
    """'Saturday 25 September 2027, 3:00 pm – 6:00 pm EDT' in ``zone``.

    An end on another day is written out in full. ``language`` defaults to
    the page's (or email's) own.
    """
    with _in(language):
        return _when(starts_at, ends_at, zone, _language(language))


def _when(starts_at: datetime, ends_at: datetime | None, zone: str, language: str) -> str:
    start = local(starts_at, zone)
    date, clock, start_zone = _date(start, language), _clock(start, language), _zone(
        start, language)
    if ends_at is None:
        return gettext("%(date)s, %(time)s %(zone)s", date=date, time=clock, zone=start_zone)
    end = local(ends_at, zone)
    end_clock, end_zone = _clock(end, language), _zone(end, language)
    if end.date() == start.date():
        if end_zone == start_zone:
            return gettext("%(date)s, %(start)s – %(end)s %(zone)s",
                           date=date, start=clock, end=end_clock, zone=start_zone)
        return gettext("%(date)s, %(start)s %(start_zone)s – %(end)s %(end_zone)s",
                       date=date, start=clock, start_zone=start_zone, end=end_clock,
                       end_zone=end_zone)
    return gettext(
        "%(date)s, %(start)s %(start_zone)s – %(end_date)s, %(end)s %(end_zone)s",
        date=date, start=clock, start_zone=start_zone, end_date=_date(end, language),
        end=end_clock, end_zone=end_zone)
